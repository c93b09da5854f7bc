-- ADR 18: the name a supporter gives when starting a journal for someone is sealed with the
-- journal's key, in the event and here. `owner_name` keeps the owner's pseudonym (public); for
-- journals started for someone before this change it still holds the name given, in clear.
ALTER TABLE {schema}.journals ADD COLUMN for_name text NOT NULL DEFAULT '';
