-- A conversation's messages are handled in the order they were recorded, whichever node recorded them and
-- whatever happened to the hand-off: a turn commits only when no older message of its conversation is still
-- waiting. Otherwise it answers 'behind' and writes nothing; the node reads the conversation's shard back from
-- the log, so the older message runs first. (A hand-off is lost when the node that recorded a message dies
-- before passing it on, or when a notification from another node arrives after a later message.)

-- Only messages still waiting, so the index stays small whatever the log's size.
CREATE INDEX inbound_messages_waiting_by_conversation ON inbound_messages (conversation, seq)
  WHERE status = 'accepted';

-- As in V7, plus the 'behind' outcome.
CREATE OR REPLACE FUNCTION complete_turns(p_turns JSONB) RETURNS TABLE (o_seq BIGINT, o_outcome TEXT)
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

    PERFORM 1 FROM inbound_messages i
      WHERE i.conversation = v_conversation AND i.status = 'accepted' AND i.seq < v_seq LIMIT 1;
    IF FOUND THEN
      o_outcome := 'behind'; RETURN NEXT; CONTINUE;
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
