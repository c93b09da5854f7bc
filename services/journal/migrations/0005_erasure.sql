-- ADR 35: erasure in the journal.
-- The journals that went with an erased member (their own, and those they kept for someone who had
-- not joined yet): ids only, kept for good, so that rebuilds and late events bring nothing back.
CREATE TABLE {schema}.erased_journals (
    journal_id uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL
);

-- Notes and observations written from now on are sealed twice: the author's own key inside, the
-- journal's outside. Rows written before hold the journal's seal alone.
ALTER TABLE {schema}.notes ADD COLUMN author_sealed boolean NOT NULL DEFAULT false;
ALTER TABLE {schema}.observations ADD COLUMN author_sealed boolean NOT NULL DEFAULT false;
-- An accepted observation holds the member's own copy (the journal's seal alone): it stays when its
-- author is erased; their other observations go with them.
ALTER TABLE {schema}.observations ADD COLUMN in_record boolean NOT NULL DEFAULT false;

CREATE INDEX notes_author ON {schema}.notes (author_id);
CREATE INDEX observations_author ON {schema}.observations (author_id);
