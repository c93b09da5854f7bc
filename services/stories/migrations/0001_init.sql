-- Read models of the stories service. Text columns hold sealed text (the author's key).

-- Stories and replies, with their moderation state.
CREATE TABLE {schema}.posts (
    item_id          uuid PRIMARY KEY,
    kind             text NOT NULL,              -- story | reply
    story_id         uuid NOT NULL,
    story_author_id  uuid NOT NULL,
    author_id        uuid NOT NULL,
    pseudonym        text NOT NULL,
    title            text NOT NULL DEFAULT '',
    body             text NOT NULL,
    themes           text[] NOT NULL DEFAULT '{}',
    warnings         text[] NOT NULL DEFAULT '{}',
    flags            text[] NOT NULL DEFAULT '{}',
    status           text NOT NULL,
    urgent           boolean NOT NULL,
    hidden           boolean NOT NULL DEFAULT false,
    hidden_by_author boolean NOT NULL DEFAULT false,
    review           text,                        -- new | post | reports | appeal, while queued
    queued_at        timestamptz,
    claimed_by       uuid,
    claim_until      timestamptz,
    report_weight    real NOT NULL DEFAULT 0,
    reason           text NOT NULL DEFAULT '',
    guidance         text NOT NULL DEFAULT '',
    approved         boolean NOT NULL DEFAULT false,  -- counted once towards trust
    appealed         boolean NOT NULL DEFAULT false,
    appeal_statement text NOT NULL DEFAULT '',  -- sealed
    appeal_note      text NOT NULL DEFAULT '',
    submitted_at     timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    published_at     timestamptz
);
-- The feed: published, visible stories, newest first (the cursor is (published_at, item_id)).
CREATE INDEX posts_feed ON {schema}.posts (published_at DESC, item_id DESC)
    WHERE kind = 'story' AND status = 'published' AND NOT hidden;
CREATE INDEX posts_feed_themes ON {schema}.posts USING gin (themes)
    WHERE kind = 'story' AND status = 'published' AND NOT hidden;
-- The moderation queue: urgent first, then oldest first.
CREATE INDEX posts_queue ON {schema}.posts (urgent DESC, queued_at, item_id) WHERE review IS NOT NULL;
CREATE INDEX posts_by_author ON {schema}.posts (author_id, submitted_at DESC);
CREATE INDEX posts_replies ON {schema}.posts (story_id, submitted_at) WHERE kind = 'reply';

CREATE TABLE {schema}.encouragements (
    story_id  uuid NOT NULL,
    reader_id uuid NOT NULL,
    kind      text NOT NULL,
    PRIMARY KEY (story_id, reader_id, kind)
);

-- Who reported what (moderators only; never shown to anyone else).
CREATE TABLE {schema}.reports (
    item_id     uuid NOT NULL,
    reporter_id uuid NOT NULL,
    reason      text NOT NULL,
    weight      real NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (item_id, reporter_id)
);

-- Every moderation action, for moderators and admins.
CREATE TABLE {schema}.audit (
    seq          bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    moderator_id uuid NOT NULL,
    action       text NOT NULL,
    item_id      uuid NOT NULL,
    kind         text NOT NULL,
    reason       text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT ''
);
CREATE INDEX audit_recent ON {schema}.audit (at DESC, seq DESC);

-- Trust earned by approved posts, lowered by removals.
CREATE TABLE {schema}.trust (
    member_id uuid PRIMARY KEY,
    approved  integer NOT NULL DEFAULT 0,
    removed   integer NOT NULL DEFAULT 0
);

-- Each reader's content warnings to hide or blur.
CREATE TABLE {schema}.readers (
    member_id uuid PRIMARY KEY,
    hide      text[] NOT NULL,
    blur      text[] NOT NULL
);

-- Who is who (moderator names in the audit), from accounts' events.
CREATE TABLE {schema}.people (
    member_id uuid PRIMARY KEY,
    pseudonym text NOT NULL
);
