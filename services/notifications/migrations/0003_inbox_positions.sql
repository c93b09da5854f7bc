-- Live pages: each change to a member's inbox has a position (the inbox stream's version of its
-- `inbox_changed` event). An item written or grown has none until that event, in the same
-- transaction, stamps it; items from before this migration count as position 0.
ALTER TABLE {schema}.inbox ADD COLUMN position bigint;
UPDATE {schema}.inbox SET position = 0;
CREATE INDEX inbox_member_position ON {schema}.inbox (member_id, position);

-- Where each member's inbox is now, and how many items are unread there (from `inbox_changed`).
CREATE TABLE {schema}.inbox_heads (
    member_id uuid   PRIMARY KEY,
    position  bigint NOT NULL,
    unread    integer NOT NULL
);
