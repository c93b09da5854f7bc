-- ADR 34: erasure. Ids and times only: nothing here names anyone.

-- Projection of the erasure events: who asked to be erased, when it is due, whether it was
-- cancelled, when it was done. The job that erases takes due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE {schema}.erasures (
    member_id    uuid PRIMARY KEY,
    requested_at timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    requested_by uuid,
    cancelled_at timestamptz,
    erased_at    timestamptz
);
CREATE INDEX erasures_due ON {schema}.erasures (due_at) WHERE erased_at IS NULL AND cancelled_at IS NULL;

-- Which service has applied which erasure (their `<service>.member_erased.v1` events, followed by
-- accounts' consumers): an erasure is done when every service named in the contract has.
CREATE TABLE {schema}.erasure_applied (
    member_id  uuid NOT NULL,
    service    text NOT NULL,
    applied_at timestamptz,
    PRIMARY KEY (member_id, service)
);
