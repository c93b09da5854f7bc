-- Replies to replies (ADR 32): the reply on the same story that a reply answers, if any. Rows
-- written before it answered nothing.
ALTER TABLE {schema}.posts ADD COLUMN in_reply_to uuid;
