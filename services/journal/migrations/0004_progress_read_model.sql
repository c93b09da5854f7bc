-- ADR 26: what the progress page counts, kept by the entries projection in the append's
-- transaction, so that the page reads one row a day and a theme instead of every entry. Rows are
-- keyed by what the access rule (access.py, sees_entry) needs: the entry's visibility and author.
-- Only entries that are not retracted count; a row whose counts fall to zero is deleted.
CREATE TABLE {schema}.progress_days (
    journal_id uuid NOT NULL,
    day        date NOT NULL,
    visibility text NOT NULL,
    author_id  uuid NOT NULL,
    entries    integer NOT NULL,  -- of any kind: the journal's first and last day
    victories  integer NOT NULL,
    setbacks   integer NOT NULL,
    moods      integer NOT NULL,  -- mood check-ins with a mood
    mood_sum   integer NOT NULL,
    PRIMARY KEY (journal_id, day, visibility, author_id)
);

CREATE TABLE {schema}.progress_themes (
    journal_id uuid NOT NULL,
    theme      text NOT NULL,
    visibility text NOT NULL,
    author_id  uuid NOT NULL,
    victories  integer NOT NULL,
    PRIMARY KEY (journal_id, theme, visibility, author_id)
);

-- Bouncing back: the most recent setbacks, and the first victory after each.
CREATE INDEX entries_by_kind ON {schema}.entries (journal_id, kind, occurred_on, recorded_at) WHERE NOT retracted;

INSERT INTO {schema}.progress_days
SELECT journal_id, occurred_on, visibility, author_id, count(*), count(*) FILTER (WHERE kind = 'victory'),
       count(*) FILTER (WHERE kind = 'setback'), count(mood) FILTER (WHERE kind = 'mood'),
       coalesce(sum(mood) FILTER (WHERE kind = 'mood'), 0)
FROM {schema}.entries WHERE NOT retracted GROUP BY 1, 2, 3, 4;

INSERT INTO {schema}.progress_themes
SELECT e.journal_id, t.theme, e.visibility, e.author_id, count(*)
FROM {schema}.entries e, unnest(e.themes) AS t(theme) WHERE e.kind = 'victory' AND NOT e.retracted GROUP BY 1, 2, 3, 4;
