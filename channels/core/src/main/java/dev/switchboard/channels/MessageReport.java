package dev.switchboard.channels;

import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import java.time.Instant;
import java.util.List;

/**
 * The state of one inbound message, as callers may see it.
 *
 * @param id the message id
 * @param conversation its conversation
 * @param status {@code accepted} (recorded, not yet handled), {@code replied}, {@code failed}, or
 *     {@code skipped} (acknowledged, deliberately not handled)
 * @param replies the replies, in order; empty until handled
 * @param route the routing decision, once handled
 * @param error why handling failed, or {@code null}
 * @param receivedAt when it was received
 * @param visibleToAll the skill asked to show its replies to everyone in the conversation
 */
public record MessageReport(
    MessageId id,
    ConversationKey conversation,
    String status,
    List<Reply> replies,
    RouteRecord route,
    String error,
    Instant receivedAt,
    boolean visibleToAll) {

  public static final String ACCEPTED = "accepted";
  public static final String REPLIED = "replied";
  public static final String FAILED = "failed";

  public MessageReport {
    replies = List.copyOf(replies);
  }

  /** True once the message has been handled, with or without success. */
  public boolean done() {
    return !ACCEPTED.equals(status);
  }
}
