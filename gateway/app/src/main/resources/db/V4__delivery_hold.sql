-- Replies may be held back for a moment before delivery: a Slack slash command's reply that is ready within
-- Slack's 3 s goes in the HTTP answer, and only if it was not is it delivered later (through response_url).
DROP FUNCTION complete_turn(TEXT, BIGINT, TEXT, JSONB, BIGINT, TEXT, JSONB, TEXT, TEXT, JSONB, TEXT, JSONB);

CREATE FUNCTION complete_turn(
    p_conversation TEXT, p_version BIGINT, p_active_skill TEXT, p_state JSONB,
    p_seq BIGINT, p_status TEXT, p_route JSONB, p_error TEXT,
    p_channel TEXT, p_reply_address JSONB, p_reply_status TEXT, p_replies JSONB, p_hold_ms BIGINT)
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

  INSERT INTO outbox (inbound_seq, position, channel, conversation, reply, reply_address, status, delivered_at,
                      next_attempt_at)
    SELECT p_seq, r.n - 1, p_channel, p_conversation, r.reply, p_reply_address, p_reply_status,
           CASE WHEN p_reply_status = 'delivered' THEN now() END,
           now() + p_hold_ms * interval '1 millisecond'
      FROM jsonb_array_elements(p_replies) WITH ORDINALITY AS r(reply, n);
  RETURN TRUE;
END;
$$;
