package dev.switchboard.channels;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Where channels hand inbound messages to the gateway. Implemented by the gateway application.
 */
public interface InboundGateway {

  /**
   * Records the message durably (deduplicated on channel and id) and schedules it for handling. The future
   * completes only once the record is stored, so a channel acks its platform only after it completes.
   *
   * @param replyAddress what the channel needs later to deliver replies (a callback URL, a chat id, ...);
   *     stored with the message and handed back in {@link Outbound#replyAddress()}
   */
  Future<Admission> admit(Envelope envelope, JsonObject replyAddress);

  /** As {@link #admit(Envelope, JsonObject)}, continuing the caller's W3C trace context ({@code traceparent}). */
  default Future<Admission> admit(Envelope envelope, JsonObject replyAddress, String traceparent) {
    return admit(envelope, replyAddress);
  }

  /**
   * Records something the channel acknowledges but does not handle (an unsupported update type, an edit,
   * chatter not addressed to the bot), deduplicated on channel and id like a message, for the record only.
   *
   * @param raw the platform's payload, as received
   * @param reason why it is not handled
   */
  Future<Admission> recordSkipped(ChannelId channel, MessageId id, JsonObject raw, String reason);

  /**
   * Marks the message's replies delivered because the channel put them in its HTTP answer, so that they are
   * not delivered again. Answers how many were still waiting.
   */
  Future<Integer> markRepliedInline(ChannelId channel, MessageId id);

  /**
   * Records what the platform reports about a reply it accepted earlier (by the id it gave it): statuses only
   * move forward ({@code sent} → {@code delivered} → {@code read}), a late {@code delivered} after {@code read}
   * changes nothing, and {@code failed} marks the reply failed with {@code error}. Each (id, status) counts once.
   * Answers {@code false} for a repeated report.
   */
  Future<Boolean> recordDeliveryStatus(ChannelId channel, String platformMessageId, String status, String error);

  /** The message's current state, or {@code null} when there is no such message. */
  Future<MessageReport> report(ChannelId channel, MessageId id);

  /**
   * Waits up to {@code maxWait} for the message to be handled, then reports its state (which may still be
   * {@code accepted}). Answers {@code null} when there is no such message.
   */
  Future<MessageReport> awaitReport(ChannelId channel, MessageId id, Duration maxWait);
}
