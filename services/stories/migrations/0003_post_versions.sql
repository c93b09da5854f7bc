-- The version of each post's stream, so that an edit can name the version its author saw (a
-- revision made on an older one is refused as a conflict). Kept by the posts projection, which
-- adds one for every event of the post's stream; existing rows take it from the log.
ALTER TABLE {schema}.posts ADD COLUMN version integer NOT NULL DEFAULT 1;
UPDATE {schema}.posts p SET version = v.version
    FROM (SELECT stream_id, max(stream_version) AS version FROM {schema}.events
          WHERE stream_id LIKE 'post-%' GROUP BY stream_id) v
    WHERE v.stream_id = 'post-' || p.item_id::text;
