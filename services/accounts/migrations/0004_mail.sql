-- ADR 28: mail to members, sent once from an outbox; links in mail stored only as hashes; a
-- confirmed address and a chosen time zone in the members read model.

-- The outbox of shared/mail (its shape is the kernel's: shared/mail/outbox.py). Operational
-- state, not a projection. `sealed` holds recipient, subject and bodies sealed with the member's
-- key, and is cleared once the message is sent.
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

-- Links sent by mail (services/accounts/links.py): the SHA-256 of their token, never the token.
CREATE TABLE {schema}.mail_links (
    token_hash   text PRIMARY KEY,
    purpose      text NOT NULL,
    member_id    uuid NOT NULL,
    email_index  text NOT NULL,
    email_sealed text,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX mail_links_member ON {schema}.mail_links (member_id, purpose);

-- Members who joined before this have not confirmed their address: nothing but a confirmation
-- goes to them until they do (they can ask for one on their settings page).
ALTER TABLE {schema}.members
    ADD COLUMN email_confirmed boolean NOT NULL DEFAULT false,
    ADD COLUMN time_zone text NOT NULL DEFAULT '';
