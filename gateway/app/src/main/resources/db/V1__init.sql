-- The durable record: every inbound message, every session, every reply.

CREATE TABLE inbound_messages (
  seq           BIGSERIAL PRIMARY KEY,
  channel       TEXT        NOT NULL,
  message_id    TEXT        NOT NULL,
  conversation  TEXT        NOT NULL,
  envelope      JSONB       NOT NULL,
  reply_address JSONB       NOT NULL,
  status        TEXT        NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'replied', 'failed')),
  route         JSONB,
  error         TEXT,
  received_at   TIMESTAMPTZ NOT NULL,
  completed_at  TIMESTAMPTZ,
  UNIQUE (channel, message_id)
);

-- The work queue: what is recorded but not yet handled, per conversation in arrival order.
CREATE INDEX inbound_messages_pending ON inbound_messages (conversation, seq) WHERE status = 'accepted';

CREATE TABLE sessions (
  conversation TEXT        PRIMARY KEY,
  version      BIGINT      NOT NULL,
  active_skill TEXT,
  state        JSONB       NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE outbox (
  id                  BIGSERIAL PRIMARY KEY,
  inbound_seq         BIGINT      NOT NULL REFERENCES inbound_messages (seq),
  position            INT         NOT NULL,
  channel             TEXT        NOT NULL,
  conversation        TEXT        NOT NULL,
  reply               JSONB       NOT NULL,
  reply_address       JSONB       NOT NULL,
  status              TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts            INT         NOT NULL DEFAULT 0,
  next_attempt_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  platform_message_id TEXT,
  last_error          TEXT,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  delivered_at        TIMESTAMPTZ,
  UNIQUE (inbound_seq, position)
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
-- A conversation's replies go out in order: only its oldest pending reply may be delivered.
CREATE INDEX outbox_pending_by_conversation ON outbox (conversation, id) WHERE status = 'pending';

-- One conversation's messages both ways, oldest first.
CREATE VIEW message_history AS
  SELECT conversation, received_at AS at, 'in' AS direction, seq AS inbound_seq, envelope->'content'->>'text' AS text
    FROM inbound_messages
  UNION ALL
  SELECT o.conversation, o.created_at AS at, 'out' AS direction, o.inbound_seq, o.reply->>'text' AS text
    FROM outbox o;
