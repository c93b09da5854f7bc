-- Erasure (ADR 37). An item keeps its variant (an encouragement's kind, a role, a stage), so that
-- its words can be said again without the name of a member who has left; filled here from the
-- events that wrote each item (a grouped item's events share one variant: it is part of its key).
ALTER TABLE {schema}.inbox ADD COLUMN variant text NOT NULL DEFAULT '';
UPDATE {schema}.inbox i
   SET variant = e.data ->> 'variant'
  FROM {schema}.events e
 WHERE e.event_type = 'notifications.item_noted.v1'
   AND (e.data ->> 'notification_id')::uuid = i.notification_id
   AND coalesce(e.data ->> 'variant', '') <> '';

-- The items that name a member, found at their erasure by the ids an item counts.
CREATE INDEX inbox_actors ON {schema}.inbox USING gin (actor_ids);
