-- The relay is woken after commit by the process that appended (ADR 0005), no longer by a
-- NOTIFY inside the append: PostgreSQL serialises the commits of notifying transactions.
-- Schemas created before this change drop their trigger here.
DROP TRIGGER IF EXISTS events_notify ON {schema}.events;
DROP FUNCTION IF EXISTS {schema}.notify_events();
