-- Payloads a channel acknowledges without handling them (unsupported update types, edits, chatter not
-- addressed to the bot) are recorded too, with their reason in `error`.
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_status_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_status_check
  CHECK (status IN ('accepted', 'replied', 'failed', 'skipped'));
