-- One row per pseudonym skeleton (NFKC, confusable letters mapped to one prototype, case folded):
-- the primary key is what stops two sign-ups, however concurrent, from taking look-alike names.
-- Members who signed up before this table existed get their rows when the service first registers
-- someone (services/accounts/credentials.py, reserve_missing_skeletons).
CREATE TABLE {schema}.pseudonym_skeletons (
    skeleton  text PRIMARY KEY,
    member_id uuid NOT NULL UNIQUE
);
