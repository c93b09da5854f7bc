-- Read models of the accounts service (projections of its events) and the sign-in throttle.

CREATE TABLE {schema}.members (
    member_id     uuid PRIMARY KEY,
    pseudonym     text NOT NULL,
    pseudonym_key text NOT NULL UNIQUE,
    email_index   text NOT NULL UNIQUE,
    email_sealed  text NOT NULL,
    password_hash text NOT NULL,
    roles         text[] NOT NULL DEFAULT '{member}',
    registered_at timestamptz NOT NULL
);

CREATE TABLE {schema}.sessions (
    session_id uuid PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    member_id  uuid NOT NULL,
    started_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE INDEX sessions_member ON {schema}.sessions (member_id);

-- Operational state, not a projection: failed sign-ins per key (e-mail index or client address).
CREATE TABLE {schema}.sign_in_failures (
    key              text PRIMARY KEY,
    failures         integer NOT NULL,
    first_failure_at timestamptz NOT NULL,
    locked_until     timestamptz
);
