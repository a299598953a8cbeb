-- One turn, committed in one round trip: the session (if still at the version the turn read), the message's
-- outcome (if nobody handled it meanwhile) and its replies. Returns false when the session moved on; raises
-- serialization_failure (40001) when the message was handled elsewhere, so nothing of the turn is kept.
CREATE FUNCTION complete_turn(
    p_conversation TEXT, p_version BIGINT, p_active_skill TEXT, p_state JSONB,
    p_seq BIGINT, p_status TEXT, p_route JSONB, p_error TEXT,
    p_channel TEXT, p_reply_address JSONB, p_reply_status TEXT, p_replies JSONB)
  RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  IF p_version = 1 THEN
    INSERT INTO sessions (conversation, version, active_skill, state, updated_at)
      VALUES (p_conversation, 1, p_active_skill, p_state, now())
      ON CONFLICT (conversation) DO NOTHING;
  ELSE
    UPDATE sessions SET version = p_version, active_skill = p_active_skill, state = p_state, updated_at = now()
      WHERE conversation = p_conversation AND version = p_version - 1;
  END IF;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;

  UPDATE inbound_messages SET status = p_status, route = p_route, error = p_error, completed_at = now()
    WHERE seq = p_seq AND status = 'accepted';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'message % was already handled', p_seq USING ERRCODE = 'serialization_failure';
  END IF;

  INSERT INTO outbox (inbound_seq, position, channel, conversation, reply, reply_address, status, delivered_at)
    SELECT p_seq, r.n - 1, p_channel, p_conversation, r.reply, p_reply_address, p_reply_status,
           CASE WHEN p_reply_status = 'delivered' THEN now() END
      FROM jsonb_array_elements(p_replies) WITH ORDINALITY AS r(reply, n);
  RETURN TRUE;
END;
$$;
