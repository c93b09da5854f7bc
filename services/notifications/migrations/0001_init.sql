-- The inbox read model: one row per notification a member can see.
CREATE TABLE {schema}.inbox (
    notification_id uuid PRIMARY KEY,
    member_id       uuid NOT NULL,
    kind            text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz
);
CREATE INDEX inbox_member ON {schema}.inbox (member_id, created_at DESC);
