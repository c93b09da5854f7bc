-- Item e-mails the day's limit kept back wait for the member's next digest (ADR 31): the digest
-- finds them by member.
CREATE INDEX jobs_folded ON {schema}.jobs (member_id) WHERE outcome = 'folded';

-- The scheduler takes the first due job in (due_at, job_key) order. Many members share a digest
-- hour, so many jobs share a due_at: an index on due_at alone left every take sorting all the due
-- jobs (a digest for 100,000 members grew with the square of its size). This one hands them out
-- in order, and a take reads one entry.
DROP INDEX {schema}.jobs_due;
CREATE INDEX jobs_due ON {schema}.jobs (due_at, job_key) WHERE done_at IS NULL;
