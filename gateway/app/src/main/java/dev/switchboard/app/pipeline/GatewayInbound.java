package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.IngressBatcher;
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
  private final Vertx vertx;
  private final InboundStore inbound;
  private final IngressBatcher batcher;
  private final Completions completions;

  public GatewayInbound(Vertx vertx, InboundStore inbound, Completions completions) {
    this.vertx = vertx;
    this.inbound = inbound;
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
  public Future<MessageReport> report(ChannelId channel, MessageId id) {
    return inbound.report(channel, id);
  }

  @Override
  public Future<MessageReport> awaitReport(ChannelId channel, MessageId id, Duration maxWait) {
    if (maxWait.isZero()) {
      return report(channel, id);
    }
    // Wait first, then look: a reply committed between a look and the wait cannot be missed.
    Completions.Wait handled = completions.await(Completions.key(channel.value(), id.value()), maxWait);
    return report(channel, id).compose(report -> {
      if (report == null || report.done()) {
        handled.cancel().run();
        return Future.succeededFuture(report);
      }
      return handled.future().compose(v -> report(channel, id));
    });
  }
}
