-- Moderation that keeps people safe (ADR 22): account age for report weights, who decided and who
-- holds a claim, reporters' notes, messages to writers at risk, and the templates they come from.

-- When a member joined (from accounts' events); NULL until known, counted as brand new.
ALTER TABLE {schema}.people ADD COLUMN registered_at timestamptz;

-- The moderator whose rejection or removal is in force (the one an appeal is about).
ALTER TABLE {schema}.posts ADD COLUMN decided_by uuid;

-- A reporter's optional note, sealed with the reporter's key (moderators only).
ALTER TABLE {schema}.reports ADD COLUMN note text NOT NULL DEFAULT '';

-- Private messages moderators sent a writer, sealed with the writer's key.
CREATE TABLE {schema}.messages (
    message_id   uuid PRIMARY KEY,
    member_id    uuid NOT NULL,
    item_id      uuid NOT NULL,
    moderator_id uuid NOT NULL,
    template_name text NOT NULL,
    body         text NOT NULL,
    sent_at      timestamptz NOT NULL
);
CREATE INDEX messages_for ON {schema}.messages (member_id, sent_at DESC);
CREATE INDEX messages_by_item ON {schema}.messages (item_id, sent_at);

-- The reach-out templates moderators edited (the defaults live in the code until edited).
CREATE TABLE {schema}.templates (
    template_id uuid PRIMARY KEY,
    name        text NOT NULL,
    body        text NOT NULL,
    saved_by    uuid NOT NULL,
    saved_at    timestamptz NOT NULL
);
