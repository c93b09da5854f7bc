-- Erasure and export (ADR 36): when each encouragement was given, for the export of what a member
-- gave; existing rows take it from the log (the projection writes it from now on).
ALTER TABLE {schema}.encouragements ADD COLUMN encouraged_at timestamptz;
UPDATE {schema}.encouragements c SET encouraged_at = g.at
    FROM (SELECT data->>'story_id' AS story_id, data->>'reader_id' AS reader_id, data->>'kind' AS kind,
                 max((data->>'encouraged_at')::timestamptz) AS at
          FROM {schema}.events WHERE event_type = 'stories.encouraged.v1'
          GROUP BY 1, 2, 3) g
    WHERE g.story_id = c.story_id::text AND g.reader_id = c.reader_id::text AND g.kind = c.kind;
-- A member's encouragement, for their export.
CREATE INDEX encouragements_by_reader ON {schema}.encouragements (reader_id);
-- The reports a member made, for their export and their erasure.
CREATE INDEX reports_by_reporter ON {schema}.reports (reporter_id);
