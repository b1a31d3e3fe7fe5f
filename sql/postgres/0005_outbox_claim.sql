-- Outbox delivery is claim-based: a sender first marks a message as its own
-- (one UPDATE, so two senders never both take it), sends, then records the
-- outcome. A claim lapses at claimed_until, so mail claimed by a process that
-- died is picked up again.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;   -- unix seconds
