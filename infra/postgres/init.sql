-- Run once when the PostgreSQL container is created. Roles, schemas and tables are made by
-- `smallwins migrate` (as this superuser): the owner role smallwins_owner, which nobody logs in
-- as, owns every schema; each process connects as its own role smallwins_<process>, with only
-- the grants it needs (docs/adr/0022-least-privilege-in-postgresql.md). This sets sane defaults.
ALTER DATABASE smallwins SET timezone TO 'UTC';
ALTER DATABASE smallwins SET idle_in_transaction_session_timeout TO '60s';
