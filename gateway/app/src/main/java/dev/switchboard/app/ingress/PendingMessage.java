package dev.switchboard.app.ingress;

import dev.switchboard.spi.Envelope;
import io.vertx.core.json.JsonObject;

/**
 * A recorded message that has not been handled yet.
 *
 * @param seq its place in the inbound log
 * @param envelope the message
 * @param replyAddress what its channel needs to deliver replies
 * @param delivery how its replies reach the sender
 * @param shard its conversation's shard, worked out once at admission (the log keeps it too)
 */
public record PendingMessage(long seq, Envelope envelope, JsonObject replyAddress, DeliveryPolicy delivery,
    int shard) {

  /** The conversation key, {@code channel:id}. */
  public String conversation() {
    return envelope.conversation().asString();
  }

  /** Channel and id: what identifies the message to callers waiting for it. */
  public String key() {
    return key(envelope.channel().value(), envelope.id().value());
  }

  /** Channel and id of a message, as {@link #key()} gives it. */
  public static String key(String channel, String messageId) {
    return channel + "\u0000" + messageId;
  }
}
