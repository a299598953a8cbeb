package dev.switchboard.app.pipeline;

import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.tracing.Tracing;
import dev.switchboard.app.outbox.OutboxStore;
import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.channels.Admission;
import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The gateway side of {@link InboundGateway}: admission into the pipeline, and what channels read back. A
 * caller waiting for a message this node handles gets its report from the turn in memory; for a message
 * handled elsewhere (or earlier) it is read from the inbound log, every {@link #LOOK_AGAIN} while it waits.
 */
final class GatewayInbound implements InboundGateway {
  static final Duration LOOK_AGAIN = Duration.ofMillis(250);

  private final Vertx vertx;
  private final AdmitStage admit;
  private final SenderQuotas quotas;
  private final GatewayMetrics metrics;
  private final Tracing tracing;
  private final InboundStore inbound;
  private final OutboxStore outbox;
  private final Completions completions;
  private final GroupCommit<OutboxStore.RepliedInline, Integer> repliedInline;

  GatewayInbound(Vertx vertx, AdmitStage admit, SenderQuotas quotas, InboundStore inbound, OutboxStore outbox,
      Completions completions, GatewayMetrics metrics, Tracing tracing) {
    this.quotas = quotas;
    this.tracing = tracing;
    this.metrics = metrics;
    this.vertx = vertx;
    this.repliedInline = new GroupCommit<>(vertx, "inline replies", new GroupCommit.Limits(256, 2, 10_000),
        outbox::markDeliveredInline);
    this.admit = admit;
    this.inbound = inbound;
    this.outbox = outbox;
    this.completions = completions;
  }

  @Override
  public Future<Admission> admit(Envelope envelope, JsonObject replyAddress) {
    return admit(envelope, replyAddress, null);
  }

  @Override
  public Future<Admission> admit(Envelope envelope, JsonObject replyAddress, String traceparent) {
    String channel = envelope.channel().value();
    if (!envelope.channel().equals(ChannelId.WEBHOOK)) {
      return record(envelope, replyAddress, traceparent);
    }
    // a webhook caller over its quota is answered 429 and nothing is recorded (platforms: QuotaStage)
    return quotas.take(envelope.channel(), envelope.sender().id()).compose(decision -> {
      if (decision.allowed()) {
        return record(envelope, replyAddress, traceparent);
      }
      metrics.rateLimited(channel);
      return Future.failedFuture(ApiError.tooManyRequests("sender " + envelope.sender().id()
          + " is over its quota; try again in " + decision.retryAfterSeconds() + " s",
          (int) decision.retryAfterSeconds()));
    });
  }

  private Future<Admission> record(Envelope envelope, JsonObject replyAddress, String traceparent) {
    return tracing.ingress(envelope, traceparent, () -> admit.apply(envelope, replyAddress)).map(isNew -> {
      metrics.received(envelope.channel().value(), !isNew);
      return new Admission(!isNew);
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
      return new MessageId("status:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Override
  public Future<Integer> markRepliedInline(ChannelId channel, MessageId id) {
    return repliedInline.submit(new OutboxStore.RepliedInline(channel.value(), id.value()))
        .onSuccess(replies -> metrics.repliedInline(channel.value(), replies));
  }

  @Override
  public Future<MessageReport> report(ChannelId channel, MessageId id) {
    return inbound.report(channel, id);
  }

  @Override
  public Future<MessageReport> awaitReport(ChannelId channel, MessageId id, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    return completions.await(PendingMessage.key(channel.value(), id.value()), maxWait)
        .compose(report -> report != null ? Future.succeededFuture(report) : lookUntil(channel, id, deadline));
  }

  /** Reads the message's record until it is handled or the deadline passes. */
  private Future<MessageReport> lookUntil(ChannelId channel, MessageId id, long deadline) {
    return report(channel, id).compose(report -> {
      long left = deadline - System.nanoTime();
      if (report == null || report.done() || left <= 0) {
        return Future.succeededFuture(report);
      }
      Promise<Void> pause = Promise.promise();
      vertx.setTimer(Math.max(1, Math.min(LOOK_AGAIN.toMillis(), left / 1_000_000)), t -> pause.complete());
      return pause.future().compose(v -> lookUntil(channel, id, deadline));
    });
  }
}
