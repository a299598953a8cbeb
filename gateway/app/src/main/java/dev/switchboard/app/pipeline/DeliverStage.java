package dev.switchboard.app.pipeline;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.session.Session;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliver: after a commit, the waiting caller gets the turn's report from memory, delivery is woken when the
 * replies go through a channel, and the session is kept for the next turn. A commit that wrote nothing is
 * answered too: a moved session is dropped so it is read again, a fenced shard is given up.
 */
final class DeliverStage {
  private static final Logger LOG = LoggerFactory.getLogger(DeliverStage.class);

  private final Completions completions;
  private final Runnable wakeDelivery;
  private final Consumer<Session> keepSession;
  private final Consumer<String> dropSession;
  private final IntConsumer shardLost;
  private final GatewayMetrics metrics;

  DeliverStage(Completions completions, Runnable wakeDelivery, Consumer<Session> keepSession,
      Consumer<String> dropSession, IntConsumer shardLost, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.completions = completions;
    this.wakeDelivery = wakeDelivery;
    this.keepSession = keepSession;
    this.dropSession = dropSession;
    this.shardLost = shardLost;
  }

  void apply(CommitStage.Committed committed) {
    TurnOutcome outcome = committed.outcome();
    var message = outcome.turn().message();
    switch (committed.result()) {
      case OK -> {
        metrics.turn(message.envelope().channel().value(), message.envelope().receivedAt());
        TurnLog.about(LOG.atDebug(), message.envelope()).log("{} by {} ({}), {} repl(ies)", outcome.status(),
            outcome.route() == null ? null : outcome.route().skill(),
            outcome.route() == null ? null : outcome.route().reason(), outcome.replies().size());
        keepSession.accept(outcome.next());
        completions.done(message.key(), outcome.report());
        if (message.delivery().needsDelivery() && !outcome.replies().isEmpty()) {
          wakeDelivery.run();
        }
      }
      case CONFLICT -> {
        TurnLog.about(LOG.atDebug(), message.envelope()).log("the session changed under us; reading it again");
        dropSession.accept(message.conversation());
      }
      case FENCED -> {
        TurnLog.about(LOG.atInfo(), message.envelope()).log("not committed: shard {} is held by another node now",
            outcome.turn().owned().shard());
        shardLost.accept(outcome.turn().owned().shard());
      }
      case BEHIND -> TurnLog.about(LOG.atInfo(), message.envelope())
          .log("an older message of the conversation waits in the log; reading it back first");
      case HANDLED -> completions.forget(message.key());
    }
  }
}
