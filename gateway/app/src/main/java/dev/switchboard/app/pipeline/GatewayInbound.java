package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.IngressBatcher;
import dev.switchboard.app.outbox.OutboxStore;
import dev.switchboard.channels.Admission;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The gateway side of {@link InboundGateway}: record in the inbound log, then wake the conversation's lane. */
public final class GatewayInbound implements InboundGateway {
  static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final InboundStore inbound;
  private final IngressBatcher batcher;
  private final Completions completions;

  private final OutboxStore outbox;

  public GatewayInbound(Vertx vertx, InboundStore inbound, OutboxStore outbox, Completions completions) {
    this.vertx = vertx;
    this.inbound = inbound;
    this.outbox = outbox;
    this.batcher = new IngressBatcher(vertx, inbound);
    this.completions = completions;
  }

  @Override
  public Future<Admission> admit(Envelope envelope, JsonObject replyAddress) {
    return batcher.append(new InboundStore.NewMessage(envelope, replyAddress)).map(inserted -> {
      // a duplicate may still be pending (acked, then the node died): waking its lane is harmless
      vertx.eventBus().send(PipelineAddresses.CONVERSATION_READY, envelope.conversation().asString());
      return new Admission(!inserted);
    });
  }

  @Override
  public Future<Admission> recordSkipped(ChannelId channel, MessageId id, JsonObject raw, String reason) {
    return inbound.appendSkipped(channel, id, raw, reason).map(inserted -> new Admission(!inserted));
  }

  @Override
  public Future<Boolean> recordDeliveryStatus(ChannelId channel, String platformMessageId, String status,
      String error) {
    JsonObject report = new JsonObject().put("id", platformMessageId).put("status", status).put("error", error);
    // the outbox update is monotonic, so a repeated report changes nothing: apply it first, then keep the
    // (id, status) pair on record like a message (a repeat is recognised across restarts)
    return outbox.recordPlatformStatus(channel.value(), platformMessageId, status, error)
        .compose(changed -> inbound.appendSkipped(channel, statusId(status, platformMessageId), report,
            "delivery status"));
  }

  /** {@code status:<status>:<id>}, or a hash of it when the platform's id does not fit a message id. */
  private static MessageId statusId(String status, String platformMessageId) {
    String key = "status:" + status + ":" + platformMessageId;
    try {
      return new MessageId(key);
    } catch (IllegalArgumentException e) {
      return new MessageId("status:" + java.util.UUID.nameUUIDFromBytes(
          key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  @Override
  public Future<Integer> markRepliedInline(ChannelId channel, MessageId id) {
    return outbox.markDeliveredInline(channel.value(), id.value());
  }

  @Override
  public Future<MessageReport> report(ChannelId channel, MessageId id) {
    return inbound.report(channel, id);
  }

  @Override
  public Future<MessageReport> awaitReport(ChannelId channel, MessageId id, Duration maxWait) {
    if (maxWait.isZero()) {
      return report(channel, id);
    }
    // Wait first, then look: a reply committed between a look and the wait cannot be missed.
    long deadline = System.nanoTime() + maxWait.toNanos();
    return awaitUntil(channel, id, deadline);
  }

  /**
   * Waits for this node's pipeline to say the message is done, but looks at the record at least every
   * {@link #LOOK_AGAIN}: another node may have handled it.
   */
  private Future<MessageReport> awaitUntil(ChannelId channel, MessageId id, long deadline) {
    long left = deadline - System.nanoTime();
    Duration slice = Duration.ofNanos(Math.max(1_000_000, Math.min(left, LOOK_AGAIN.toNanos())));
    // wait first, then look: a reply committed between a look and the wait cannot be missed
    Completions.Wait handled = completions.await(Completions.key(channel.value(), id.value()), slice);
    return report(channel, id).compose(report -> {
      if (report == null || report.done()) {
        handled.cancel().run();
        return Future.succeededFuture(report);
      }
      return handled.future().compose(v -> System.nanoTime() >= deadline
          ? report(channel, id)
          : awaitUntil(channel, id, deadline));
    });
  }
}
