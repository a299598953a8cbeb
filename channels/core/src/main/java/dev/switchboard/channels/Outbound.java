package dev.switchboard.channels;

import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonObject;

/**
 * One reply to deliver, read from the outbox.
 *
 * @param deliveryId the outbox row's id: stable across retries, so receivers can deduplicate on it
 * @param conversation the conversation the reply belongs to
 * @param inReplyTo the inbound message it answers
 * @param position its place among that message's replies, from 0
 * @param reply what to send
 * @param replyAddress what the channel stored at admission to find the recipient
 * @param attempt 1 for the first try
 * @param visibleToAll the skill asked to show it to everyone, where the channel would show it to the sender only
 */
public record Outbound(
    long deliveryId,
    ConversationKey conversation,
    MessageId inReplyTo,
    int position,
    Reply reply,
    JsonObject replyAddress,
    int attempt,
    boolean visibleToAll) {}
