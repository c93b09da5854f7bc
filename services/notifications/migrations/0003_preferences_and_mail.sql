-- ADR 31: preferences, notification mail and the jobs that send it.

-- A member's preferences (an inline projection of their preference events; the JSON is the
-- domain's Preferences, folded by the same pure function live and on a rebuild).
CREATE TABLE {schema}.preferences (
    member_id uuid PRIMARY KEY,
    prefs     jsonb NOT NULL
);

-- Kept from other services' events: a member's time zone (accounts) and when they last wrote
-- in their own journal (journal), for quiet hours, the digest's hour and reminders.
CREATE TABLE {schema}.zones (
    member_id uuid PRIMARY KEY,
    time_zone text NOT NULL
);
CREATE TABLE {schema}.last_wrote (
    member_id uuid PRIMARY KEY,
    wrote_at  timestamptz NOT NULL
);

-- Jobs: an e-mail about an item (once per item), and each member's digest and reminder (one row
-- each, moved to its next time when it has run). Operational state, not a projection: a copy of
-- the service takes a due job with FOR UPDATE SKIP LOCKED and does it in that transaction.
CREATE TABLE {schema}.jobs (
    job_key    text PRIMARY KEY,
    job        text NOT NULL,
    member_id  uuid NOT NULL,
    item_id    uuid,
    due_at     timestamptz NOT NULL,
    last_run   timestamptz,
    done_at    timestamptz,
    outcome    text
);
CREATE INDEX jobs_due ON {schema}.jobs (due_at) WHERE done_at IS NULL;

-- The outbox of shared/mail (its shape is the kernel's: shared/mail/outbox.py).
CREATE TABLE {schema}.mail_outbox (
    mail_id    uuid PRIMARY KEY,
    message_id text NOT NULL UNIQUE,
    member_id  uuid NOT NULL,
    kind       text NOT NULL,
    sealed     text,
    queued_at  timestamptz NOT NULL,
    not_before timestamptz NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text,
    sent_at    timestamptz,
    dropped_at timestamptz
);
CREATE INDEX mail_outbox_due ON {schema}.mail_outbox (not_before) WHERE sent_at IS NULL AND dropped_at IS NULL;
CREATE INDEX mail_outbox_member ON {schema}.mail_outbox (member_id, kind, queued_at);
