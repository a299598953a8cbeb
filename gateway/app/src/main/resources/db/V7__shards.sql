-- Shard ownership. Conversations hash into 64 shards (shard_of, the same function as the gateway's Shards.of);
-- a node works only the conversations of shards it leases. A lease is renewed in the background; each taking of
-- a shard bumps its fencing token, and a turn commits only while its shard's fence still holds the token the
-- turn was started under, so a node paused past its lease cannot write.

CREATE FUNCTION shard_of(p_conversation TEXT) RETURNS INT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ((('x' || substr(md5(p_conversation), 1, 8))::bit(32)::int) & 63)
$$;

ALTER TABLE inbound_messages ADD COLUMN shard INT GENERATED ALWAYS AS (shard_of(conversation)) STORED;
DROP INDEX inbound_messages_pending;
CREATE INDEX inbound_messages_pending ON inbound_messages (shard, seq) WHERE status = 'accepted';

-- Who holds each shard and until when (renewed every few seconds by its holder).
CREATE TABLE shard_leases (
  shard      INT PRIMARY KEY,
  owner      TEXT,
  token      BIGINT      NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The token each shard is fenced with: changed only when a node takes the shard, read (FOR SHARE) by commits.
-- Kept apart from shard_leases so that renewals never wait for commits.
CREATE TABLE shard_fences (
  shard INT PRIMARY KEY,
  token BIGINT NOT NULL DEFAULT 0
);
INSERT INTO shard_leases (shard) SELECT generate_series(0, 63);
INSERT INTO shard_fences (shard) SELECT generate_series(0, 63);

-- Nodes alive, by heartbeat: how many share the shards.
CREATE TABLE gateway_nodes (
  node    TEXT PRIMARY KEY,
  seen_at TIMESTAMPTZ NOT NULL
);

-- Several turns committed in one statement and one transaction (group commit). Each turn is checked on its own
-- and answers one outcome: 'ok'; 'fenced' (its shard was taken by another node since); 'handled' (the message
-- was handled meanwhile); 'conflict' (the session moved past the version the turn read). A turn that is not
-- 'ok' writes nothing.
CREATE FUNCTION complete_turns(p_turns JSONB) RETURNS TABLE (o_seq BIGINT, o_outcome TEXT)
  LANGUAGE plpgsql AS $$
DECLARE
  t JSONB;
  v_seq BIGINT;
  v_version BIGINT;
  v_conversation TEXT;
  v_reply_status TEXT;
BEGIN
  FOR t IN SELECT value FROM jsonb_array_elements(p_turns) LOOP
    v_seq := (t->>'seq')::BIGINT;
    v_conversation := t->>'conversation';
    v_version := (t->>'version')::BIGINT;
    v_reply_status := t->>'reply_status';
    o_seq := v_seq;

    PERFORM 1 FROM shard_fences f
      WHERE f.shard = shard_of(v_conversation) AND f.token = (t->>'token')::BIGINT FOR SHARE;
    IF NOT FOUND THEN
      o_outcome := 'fenced'; RETURN NEXT; CONTINUE;
    END IF;

    PERFORM 1 FROM inbound_messages i WHERE i.seq = v_seq AND i.status = 'accepted' FOR UPDATE;
    IF NOT FOUND THEN
      o_outcome := 'handled'; RETURN NEXT; CONTINUE;
    END IF;

    IF v_version = 1 THEN
      INSERT INTO sessions (conversation, version, active_skill, state, updated_at)
        VALUES (v_conversation, 1, t->>'active_skill', t->'state', now())
        ON CONFLICT (conversation) DO NOTHING;
    ELSE
      UPDATE sessions s SET version = v_version, active_skill = t->>'active_skill', state = t->'state',
          updated_at = now()
        WHERE s.conversation = v_conversation AND s.version = v_version - 1;
    END IF;
    IF NOT FOUND THEN
      o_outcome := 'conflict'; RETURN NEXT; CONTINUE;
    END IF;

    UPDATE inbound_messages i SET status = t->>'status', route = t->'route', error = t->>'error',
        completed_at = now()
      WHERE i.seq = v_seq;

    INSERT INTO outbox (inbound_seq, position, channel, conversation, reply, reply_address, status, delivered_at,
                        next_attempt_at)
      SELECT v_seq, r.n - 1, t->>'channel', v_conversation, r.reply, t->'reply_address', v_reply_status,
             CASE WHEN v_reply_status = 'delivered' THEN now() END,
             now() + (t->>'hold_ms')::BIGINT * interval '1 millisecond'
        FROM jsonb_array_elements(t->'replies') WITH ORDINALITY AS r(reply, n);

    o_outcome := 'ok'; RETURN NEXT;
  END LOOP;
END;
$$;
