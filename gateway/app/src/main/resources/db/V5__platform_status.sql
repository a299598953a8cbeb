-- What the platform later reports about a reply we sent (WhatsApp: sent, delivered, read, failed).
ALTER TABLE outbox ADD COLUMN platform_status TEXT;
CREATE INDEX outbox_platform_message ON outbox (channel, platform_message_id) WHERE platform_message_id IS NOT NULL;
