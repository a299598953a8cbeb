package dev.switchboard.channels;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * What one platform payload (an update, an event, a notification entry) means for the gateway: a message to
 * handle, something to acknowledge and keep on record only, or news about a reply sent earlier. Every channel's
 * mapper answers these, so recording them is written once ({@link #record}).
 */
public sealed interface Mapping {

  /**
   * A message for the skills; replies go to {@code address}.
   *
   * @param traceparent the caller's W3C trace context, which the message's trace continues, or {@code null}
   */
  record Handle(Envelope envelope, ReplyAddress address, String traceparent) implements Mapping {
    public Handle(Envelope envelope, ReplyAddress address) {
      this(envelope, address, null);
    }
  }

  /**
   * A message for the skills when its text is within its platform's maximum ({@code maxText} code points: the
   * platform sends no more, so longer text is not what a user wrote), else what {@code skip} makes of the
   * reason: kept on record only.
   */
  static Mapping within(int maxText, Envelope envelope, ReplyAddress address, Function<String, Mapping> skip) {
    String text = envelope.text();
    int length = text.codePointCount(0, text.length());
    if (length > maxText) {
      return skip.apply("text of " + length + " characters, over the platform's " + maxText);
    }
    return new Handle(envelope, address);
  }

  /**
   * Acknowledged, deliberately not handled (an edit, a sticker, chatter not for the bot), kept for the record
   * under {@code id}; with no usable id ({@code null}) only acknowledged.
   */
  record Skip(ChannelId channel, MessageId id, JsonObject raw, String reason) implements Mapping {}

  /** What the platform reports about a reply it accepted earlier ({@code delivered}, {@code read}, ...). */
  record StatusUpdate(ChannelId channel, String platformMessageId, String status, String error)
      implements Mapping {}

  /** Records it durably; the future completes once it is stored (a duplicate counts as stored). */
  default Future<Admission> record(InboundGateway gateway) {
    if (this instanceof Handle handle) {
      return gateway.admit(handle.envelope(), handle.address().toJson(), handle.traceparent());
    }
    if (this instanceof Skip skip) {
      if (skip.id() == null) {
        return Future.succeededFuture(new Admission(false));
      }
      return gateway.recordSkipped(skip.channel(), skip.id(), skip.raw(), skip.reason());
    }
    StatusUpdate update = (StatusUpdate) this;
    return gateway.recordDeliveryStatus(update.channel(), update.platformMessageId(), update.status(),
        update.error()).map(fresh -> new Admission(!fresh));
  }
}
