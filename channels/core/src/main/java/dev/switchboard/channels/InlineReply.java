package dev.switchboard.channels;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A reply put straight into the platform's HTTP answer when it is ready in time (Slack's slash commands and
 * Discord's interactions must be answered within 3 s). The channel's {@link ChannelAdapter#deliveryHold} keeps
 * the outbox from sending those replies meanwhile; once they are claimed here they are marked delivered, so a
 * reply goes out exactly once: in the answer, or later by the outbox.
 */
public final class InlineReply {
  /** Below this, the reply is left to the outbox rather than put in an answer that may come too late. */
  static final Duration MIN_LEFT_TO_ANSWER = Duration.ofMillis(100);

  private InlineReply() {}

  /**
   * Waits for the recorded message's reply until {@code within} after its arrival. Answers its report once its
   * replies are claimed for the answer, or {@code null}: not ready in time, nothing to say, too long for the
   * answer ({@code fits} says no), or already sent.
   */
  public static Future<MessageReport> await(InboundGateway gateway, ChannelId channel, MessageId id,
      long arrivedNanos, Duration within, Predicate<MessageReport> fits) {
    return gateway.awaitReport(channel, id, left(arrivedNanos, within)).compose(report -> {
      if (left(arrivedNanos, within).compareTo(MIN_LEFT_TO_ANSWER) < 0
          || report == null || !report.done() || report.replies().isEmpty() || !fits.test(report)) {
        return Future.succeededFuture(); // too late or nothing to answer with: the outbox delivers it
      }
      return gateway.markRepliedInline(channel, id).map(marked -> marked == 0 ? null : report);
    });
  }

  private static Duration left(long arrivedNanos, Duration within) {
    Duration left = within.minusNanos(System.nanoTime() - arrivedNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
