package dev.switchboard.app.pipeline;

import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.shard.ShardOwnership;
import dev.switchboard.app.shard.Shards;
import dev.switchboard.spi.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Admit: records the message in the inbound log (concurrent admissions share one statement and one commit),
 * decides how its replies will be delivered, and hands it over: to this node's lane in memory when this node
 * holds its shard, else to the shard's owner through a notification. The caller acks only after this completes.
 */
final class AdmitStage {
  private final GroupCommit<InboundStore.NewMessage, Long> log;
  private final DeliveryPolicy.Resolver delivery;
  private final ShardOwnership ownership;
  private final Completions completions;
  private final Consumer<PendingMessage> toLane;
  private final WorkNotifications notifications;

  AdmitStage(Vertx vertx, InboundStore inbound, DeliveryPolicy.Resolver delivery, ShardOwnership ownership,
      Completions completions, Consumer<PendingMessage> toLane, WorkNotifications notifications,
      GatewayMetrics metrics) {
    this.log = new GroupCommit<>(vertx, "messages", new GroupCommit.Limits(256, 4, 10_000), batch -> {
      metrics.ingressBatch(batch.size());
      return inbound.appendAll(batch);
    });
    this.delivery = delivery;
    this.ownership = ownership;
    this.completions = completions;
    this.toLane = toLane;
    this.notifications = notifications;
  }

  /** Answers {@code true} when the message is new, {@code false} for a duplicate (recorded before). */
  Future<Boolean> apply(Envelope envelope, JsonObject replyAddress) {
    return log.submit(new InboundStore.NewMessage(envelope, replyAddress)).compose(seq -> {
      if (seq == null) {
        return Future.succeededFuture(false);
      }
      int shard = Shards.of(envelope.conversation().asString());
      PendingMessage message = new PendingMessage(seq, envelope, replyAddress,
          delivery.of(envelope.channel(), replyAddress), shard);
      if (ownership.owns(shard)) {
        completions.expect(message.key());
        toLane.accept(message);
        return Future.succeededFuture(true);
      }
      // best effort: the owner's sweep finds the message in any case
      return notifications.notifyOwner(shard).map(true).otherwise(true);
    });
  }
}
