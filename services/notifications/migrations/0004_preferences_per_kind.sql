-- Preferences per kind instead of per topic (ADR 31): the folded preferences each member keeps
-- name kinds now. The log is not touched (its older events name topics and are upcast on read);
-- this rewrites the read model exactly as folding those events again would: each topic's channel
-- goes to every kind the topic is now (shared/contracts/notification_prefs.py, TOPICS_BEFORE_KINDS).
UPDATE {schema}.preferences p
   SET prefs = jsonb_set(p.prefs, '{channels}', coalesce((
       SELECT jsonb_object_agg(coalesce(k.kind, c.key), c.value)
         FROM jsonb_each(p.prefs -> 'channels') c
         LEFT JOIN (VALUES
             ('story_decision', 'approved'), ('story_decision', 'changes_requested'),
             ('story_decision', 'removed'), ('story_decision', 'appeal_decided'),
             ('replied', 'replied'), ('replied', 'reply_to_reply'),
             ('supporters', 'supporter_joined'), ('supporters', 'supporter_left')
         ) AS k (topic, kind) ON k.topic = c.key
   ), '{}'::jsonb));
