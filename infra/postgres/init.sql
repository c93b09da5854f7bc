-- Run once when the PostgreSQL container is created. Schemas and tables are created by
-- `smallwins migrate` (each service owns its schema), so this only sets sane defaults.
ALTER DATABASE smallwins SET timezone TO 'UTC';
ALTER DATABASE smallwins SET idle_in_transaction_session_timeout TO '60s';
