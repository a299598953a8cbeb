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
-- The token each shard is fenced with: changed only when a node takes the shard (take_shard), read by commits.
-- Commits hold the shard's advisory lock shared and taking it needs it exclusive, so a taking waits for the
-- commits in flight and every later commit sees the new token. Advisory locks live in memory: unlike row
-- locks they write nothing, however many commits share a shard.
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

-- The advisory lock of a shard's fence: (class, shard). The class keeps it apart from other advisory locks.
CREATE FUNCTION shard_fence_lock_class() RETURNS INT LANGUAGE sql IMMUTABLE AS $$ SELECT 7461 $$;

-- Takes a shard for p_node if nobody holds it (free, expired, or held by this node's earlier run): a new token
-- in the lease and in the fence, once the commits in flight under the old token are done. NULL when taken.
CREATE FUNCTION take_shard(p_node TEXT, p_shard INT, p_ttl_ms BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  v_token BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(shard_fence_lock_class(), p_shard);
  UPDATE shard_leases SET owner = p_node, token = token + 1, expires_at = now() + p_ttl_ms * interval '1 millisecond'
    WHERE shard = p_shard AND (owner IS NULL OR expires_at < now() OR owner = p_node)
    RETURNING token INTO v_token;
  IF v_token IS NOT NULL THEN
    UPDATE shard_fences SET token = v_token WHERE shard = p_shard;
  END IF;
  RETURN v_token;
END;
$$;

-- Several turns committed in one statement and one transaction (group commit). Each turn is checked on its own
-- and answers one outcome: 'ok'; 'fenced' (its shard was taken by another node since); 'handled' (the message
-- was handled meanwhile); 'conflict' (the session moved past the version the turn read). A turn that is not
-- 'ok' writes nothing. Under the fence only this node writes the shard's conversations, and the session row's
-- lock orders two commits of one conversation, so the message's state needs no row lock of its own.
CREATE FUNCTION complete_turns(p_turns JSONB) RETURNS TABLE (o_seq BIGINT, o_outcome TEXT)
  LANGUAGE plpgsql AS $$
DECLARE
  t JSONB;
  v_seq BIGINT;
  v_version BIGINT;
  v_conversation TEXT;
  v_shard INT;
  v_reply_status TEXT;
BEGIN
  FOR t IN SELECT value FROM jsonb_array_elements(p_turns) LOOP
    v_seq := (t->>'seq')::BIGINT;
    v_conversation := t->>'conversation';
    v_shard := shard_of(v_conversation);
    v_version := (t->>'version')::BIGINT;
    v_reply_status := t->>'reply_status';
    o_seq := v_seq;

    PERFORM pg_advisory_xact_lock_shared(shard_fence_lock_class(), v_shard);
    PERFORM 1 FROM shard_fences f WHERE f.shard = v_shard AND f.token = (t->>'token')::BIGINT;
    IF NOT FOUND THEN
      o_outcome := 'fenced'; RETURN NEXT; CONTINUE;
    END IF;

    PERFORM 1 FROM inbound_messages i WHERE i.seq = v_seq AND i.status = 'accepted';
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
      WHERE i.seq = v_seq AND i.status = 'accepted';
    IF NOT FOUND THEN -- handled between the check and here: undo the session write with the whole batch
      RAISE EXCEPTION 'message % was handled meanwhile', v_seq USING ERRCODE = 'serialization_failure';
    END IF;

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
