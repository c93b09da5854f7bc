-- Read models of the journal service. Text columns hold sealed text (the journal's key).

-- Who is who, from accounts' events (member id -> pseudonym).
CREATE TABLE {schema}.people (
    member_id     uuid PRIMARY KEY,
    pseudonym     text NOT NULL,
    pseudonym_key text NOT NULL UNIQUE
);

CREATE TABLE {schema}.journals (
    journal_id    uuid PRIMARY KEY,
    owner_id      uuid UNIQUE,
    owner_name    text NOT NULL,
    started_by    uuid NOT NULL,
    stage         text NOT NULL,
    pending_stage text,
    started_at    timestamptz NOT NULL
);

CREATE TABLE {schema}.claim_codes (
    code_hash  text PRIMARY KEY,
    journal_id uuid NOT NULL,
    used       boolean NOT NULL DEFAULT false
);

CREATE TABLE {schema}.supporters (
    journal_id   uuid NOT NULL,
    supporter_id uuid NOT NULL,
    name         text NOT NULL,
    role         text NOT NULL,
    status       text NOT NULL,
    PRIMARY KEY (journal_id, supporter_id)
);
CREATE INDEX supporters_by_supporter ON {schema}.supporters (supporter_id);

CREATE TABLE {schema}.entries (
    entry_id           uuid PRIMARY KEY,
    journal_id         uuid NOT NULL,
    version            integer NOT NULL,
    kind               text NOT NULL,
    text               text NOT NULL,
    helped             text NOT NULL,
    mood               smallint,
    themes             text[] NOT NULL,
    occurred_on        date NOT NULL,
    author_id          uuid NOT NULL,
    on_behalf          boolean NOT NULL,
    visibility         text NOT NULL,
    needs_confirmation boolean NOT NULL,
    confirmed          boolean NOT NULL DEFAULT false,
    retracted          boolean NOT NULL DEFAULT false,
    edited             boolean NOT NULL DEFAULT false,
    recorded_at        timestamptz NOT NULL
);
CREATE INDEX entries_timeline ON {schema}.entries (journal_id, occurred_on DESC, recorded_at DESC);

CREATE TABLE {schema}.notes (
    note_id    uuid PRIMARY KEY,
    entry_id   uuid NOT NULL,
    journal_id uuid NOT NULL,
    author_id  uuid NOT NULL,
    text       text NOT NULL,
    added_at   timestamptz NOT NULL
);
CREATE INDEX notes_entry ON {schema}.notes (entry_id, added_at);

CREATE TABLE {schema}.observations (
    observation_id uuid PRIMARY KEY,
    journal_id     uuid NOT NULL,
    author_id      uuid NOT NULL,
    text           text NOT NULL,
    status         text NOT NULL,
    added_at       timestamptz NOT NULL,
    resolved_at    timestamptz
);
CREATE INDEX observations_journal ON {schema}.observations (journal_id, added_at DESC);

-- Stage changes, shown on the timeline.
CREATE TABLE {schema}.activity (
    journal_id uuid NOT NULL,
    day        date NOT NULL,
    kind       text NOT NULL,
    stage      text NOT NULL,
    actor_id   uuid,
    at         timestamptz NOT NULL
);
CREATE INDEX activity_journal ON {schema}.activity (journal_id, day DESC);
