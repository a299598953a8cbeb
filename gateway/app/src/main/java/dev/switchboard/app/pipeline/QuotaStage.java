package dev.switchboard.app.pipeline;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.app.session.Session;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Check the sender's quota: a platform message over it reaches no skill. It is on record already (the platform
 * was acked), and the sender is told once to slow down; later ones until its quota refills get no reply. Webhook
 * callers are held to their quota at admission instead, where they can be answered 429 ({@link
 * GatewayInbound}).
 */
final class QuotaStage {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaStage.class);
  static final String SLOW_DOWN = "You're sending messages faster than I can answer them. Please wait a moment "
      + "before sending more.";

  private final BiFunction<ChannelId, String, Future<SenderQuotas.Decision>> take;
  private final GatewayMetrics metrics;

  QuotaStage(BiFunction<ChannelId, String, Future<SenderQuotas.Decision>> take, GatewayMetrics metrics) {
    this.take = take;
    this.metrics = metrics;
  }

  /** The answer to a message over quota, or {@code null} when it may go on. */
  Future<TurnOutcome> apply(LoadedTurn turn) {
    Envelope envelope = turn.envelope();
    if (envelope.channel().equals(ChannelId.WEBHOOK)) {
      return Future.succeededFuture(null);
    }
    return take.apply(envelope.channel(), envelope.sender().id()).map(decision -> {
      if (decision.allowed()) {
        return null;
      }
      metrics.rateLimited(envelope.channel().value());
      TurnLog.about(LOG.atInfo(), envelope).log("sender {} over its quota{}", envelope.sender().id(),
          decision.firstRefusal() ? ", told to slow down" : "");
      List<Reply> replies = decision.firstRefusal() ? List.of(Reply.text(SLOW_DOWN)) : List.of();
      // the session moves on a version and changes nothing else: a skill waiting for an answer still waits
      Session unchanged = turn.session().withActiveSkill(turn.session().activeSkill());
      return new TurnOutcome(turn, unchanged, MessageReport.REPLIED, replies,
          new RouteRecord("quota", "over_quota", null), null, false);
    });
  }
}
