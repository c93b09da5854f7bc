-- Kernel tables of one service schema: the append-only event log, stream versions,
-- the relay checkpoint, consumer bookkeeping and parked (poison) messages.

CREATE TABLE {schema}.events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid        NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_commit_order ON {schema}.events (transaction_id, global_position);

-- One row per stream: its current version and the transaction that last appended to it.
-- Appends compare-and-set this row, so writers to the same stream serialise on it and writers
-- to different streams never wait for each other.
CREATE TABLE {schema}.streams (
    stream_id           text   PRIMARY KEY,
    version             bigint NOT NULL,
    last_transaction_id xid8   NOT NULL
);

-- Append events to one stream in one round trip. p_expected: -1 any, 0 no stream, n exact.
-- Returns the stream's new version, or NULL when the expectation does not hold (a conflict).
--
-- Readers tail the log in (transaction id, position) order, so within a stream a later version
-- must carry a later transaction id. The stream's advisory lock is taken before this function
-- writes anything (a transaction gets its id at its first write), so the next writer of the
-- stream gets its id only after this one commits. A transaction that wrote elsewhere first may
-- hold an older id; the last_transaction_id check refuses it as a conflict, and a retry in a
-- new transaction succeeds. The same transaction may append to a stream more than once.
CREATE FUNCTION {schema}.append_events(
    p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_schema_versions int[],
    p_data text[], p_metadata text
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := cardinality(p_ids);
    new_version bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('{schema}.' || p_stream, 0));
    IF p_expected = -1 THEN
        INSERT INTO {schema}.streams AS st (stream_id, version, last_transaction_id)
        VALUES (p_stream, n, pg_current_xact_id())
        ON CONFLICT (stream_id) DO UPDATE
            SET version = st.version + n, last_transaction_id = pg_current_xact_id()
            WHERE st.last_transaction_id <= pg_current_xact_id()
        RETURNING version INTO new_version;
    ELSIF p_expected = 0 THEN
        INSERT INTO {schema}.streams (stream_id, version, last_transaction_id)
        VALUES (p_stream, n, pg_current_xact_id())
        ON CONFLICT DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE {schema}.streams
            SET version = version + n, last_transaction_id = pg_current_xact_id()
            WHERE stream_id = p_stream AND version = p_expected
              AND last_transaction_id <= pg_current_xact_id()
        RETURNING version INTO new_version;
    END IF;
    IF new_version IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO {schema}.events
        (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
    SELECT e.id, p_stream, new_version - n + e.ord, e.t, e.sv, e.d::jsonb, p_metadata::jsonb
    FROM unnest(p_ids, p_types, p_schema_versions, p_data) WITH ORDINALITY AS e(id, t, sv, d, ord);
    RETURN new_version;
END $$;

CREATE FUNCTION {schema}.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON {schema}.events
    FOR EACH ROW EXECUTE FUNCTION {schema}.reject_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON {schema}.events
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.reject_event_change();

-- Where a tailing reader (the relay, a rebuild) got to, as (transaction id, position).
CREATE TABLE {schema}.checkpoints (
    name            text   PRIMARY KEY,
    transaction_id  xid8   NOT NULL,
    global_position bigint NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Events from other services already applied by a consumer (written with the effect).
CREATE TABLE {schema}.processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Messages a consumer could not apply; shown by `smallwins status`.
CREATE TABLE {schema}.parked_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer    text        NOT NULL,
    subject     text        NOT NULL,
    event_id    uuid,
    data        bytea       NOT NULL,
    error       text        NOT NULL,
    deliveries  integer     NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now()
);

-- Per-member data keys (AES-GCM). Deleting a member's row makes their encrypted text in the
-- event log and read models unreadable for good (crypto-shredding).
CREATE TABLE {schema}.member_keys (
    member_id  uuid PRIMARY KEY,
    key        bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
