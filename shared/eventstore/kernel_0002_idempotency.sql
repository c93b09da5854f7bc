-- Idempotent commands (ADR 7): the first request with a key stores its reply here, in the same
-- transaction as its events; a repeat with the same key returns that reply and stores nothing.
-- Keys belong to the person who sent them, so one member's key never reveals another's reply.
CREATE TABLE {schema}.idempotency (
    actor_id    uuid        NOT NULL,
    key         text        NOT NULL,
    fingerprint text        NOT NULL,
    reply       bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, key)
);
