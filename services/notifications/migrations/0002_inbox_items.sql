-- The inbox grows up: what an item is about (for its link and for mutes), who a grouped item
-- counts, and when it last changed (a grouped item rises and is unread again when it grows).
ALTER TABLE {schema}.inbox
    ADD COLUMN about      text        NOT NULL DEFAULT 'home',
    ADD COLUMN about_id   uuid,
    ADD COLUMN names      text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN actor_ids  uuid[]      NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE {schema}.inbox SET updated_at = created_at;
CREATE INDEX inbox_member_newest ON {schema}.inbox (member_id, updated_at DESC, notification_id DESC);
CREATE INDEX inbox_member_unread ON {schema}.inbox (member_id) WHERE read_at IS NULL;

-- What the inbox keeps of other services' events to address its items: pseudonyms, which story
-- a post belongs to, a journal's owner, its joined supporters and who proposed a handover step.
CREATE TABLE {schema}.people (
    member_id uuid PRIMARY KEY,
    pseudonym text NOT NULL
);
CREATE TABLE {schema}.posts (
    item_id   uuid PRIMARY KEY,
    kind      text NOT NULL,
    story_id  uuid NOT NULL,
    author_id uuid NOT NULL
);
CREATE TABLE {schema}.journals (
    journal_id  uuid PRIMARY KEY,
    owner_id    uuid,
    proposed_by uuid
);
CREATE TABLE {schema}.supporters (
    journal_id   uuid NOT NULL,
    supporter_id uuid NOT NULL,
    role         text NOT NULL,
    PRIMARY KEY (journal_id, supporter_id)
);

-- What a member muted (an inline projection of their own mute events).
CREATE TABLE {schema}.mutes (
    member_id   uuid NOT NULL,
    target_kind text NOT NULL,
    target_id   uuid NOT NULL,
    PRIMARY KEY (member_id, target_kind, target_id)
);
