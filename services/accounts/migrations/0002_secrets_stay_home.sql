-- ADR 18: no password hash or session token hash in any event. They live only in tables the
-- handlers write in the same transaction as the events (not projections: a rebuild from the log
-- never touches them).

CREATE TABLE {schema}.credentials (
    member_id     uuid PRIMARY KEY,
    password_hash text NOT NULL
);
INSERT INTO {schema}.credentials (member_id, password_hash)
    SELECT member_id, password_hash FROM {schema}.members;
ALTER TABLE {schema}.members DROP COLUMN password_hash;

-- `sessions` keeps its shape; from now on the handlers write it (session events no longer carry
-- the token's hash).
