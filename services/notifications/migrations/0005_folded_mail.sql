-- Item e-mails the day's limit kept back wait for the member's next digest (ADR 31): the digest
-- finds them by member.
CREATE INDEX jobs_folded ON {schema}.jobs (member_id) WHERE outcome = 'folded';
