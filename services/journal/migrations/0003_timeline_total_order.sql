-- ADR 26: the timeline's order is total. Entries of the same day and second were ordered by
-- nothing more and could swap between pages; the entry's id is the last key, in the order and
-- in the index the page's scan walks (and stops after a page).
DROP INDEX {schema}.entries_timeline;
CREATE INDEX entries_timeline ON {schema}.entries (journal_id, occurred_on DESC, recorded_at DESC, entry_id DESC);
