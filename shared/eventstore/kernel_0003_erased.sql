-- Erasure (ADR 34): the ids of members this service has erased, kept for good (ids only, nothing
-- personal), so that projections, rebuilds and late or redelivered events bring nothing back.
CREATE TABLE {schema}.erased (
    member_id  uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL
);
