-- Which node claimed a reply for delivery: a node that restarts after a crash takes its own claims back at once
-- instead of letting the conversation's replies wait for the claim to expire.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
