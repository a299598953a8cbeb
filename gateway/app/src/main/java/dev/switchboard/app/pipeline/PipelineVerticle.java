package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.skills.SkillRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import dev.switchboard.channels.Leases;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the conversation lanes. Ingress signals a conversation on {@link PipelineAddresses#CONVERSATION_READY};
 * a sweep finds work no lane has taken: everything pending at start-up (messages acked before a crash), and
 * later whatever has waited longer than {@link #SWEEP_AGE} (work of a node that died, dropped signals).
 * On stop it waits for running lanes to finish, up to {@link #DRAIN_TIMEOUT}.
 */
public final class PipelineVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineVerticle.class);
  static final Duration SWEEP_AGE = Duration.ofSeconds(10);
  private static final long SWEEP_EVERY_MS = 5_000;
  private static final int SWEEP_LIMIT = 1_000;
  /** No more lanes than skill slots, so a lane never finds the skill runner full. */
  private static final int MAX_RUNNING_LANES = SkillRunner.MAX_RUNNING;
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

  private final InboundStore inbound;
  private final TurnProcessor processor;
  private ConversationLanes lanes;
  private MessageConsumer<String> consumer;
  private long sweepTimer;
  private long renewTimer;

  private final Duration stepTimeout;

  private final LaneOwnership ownership;

  /** How long a conversation lease lasts unless renewed; running lanes renew theirs every third of it. */
  static final Duration LEASE_TTL = Duration.ofSeconds(15);

  /**
   * @param leases shared with the other nodes, so that one node at a time works a conversation
   * @param skillTimeout the skill timeout; a lane step may take a little longer (storage round trips)
   */
  public PipelineVerticle(InboundStore inbound, TurnProcessor processor, Leases leases, Duration skillTimeout) {
    this.inbound = inbound;
    this.processor = processor;
    this.stepTimeout = skillTimeout.plusSeconds(30);
    this.ownership = LaneOwnership.over(leases, LEASE_TTL);
  }

  @Override
  public Future<?> start() {
    lanes = new ConversationLanes(MAX_RUNNING_LANES, stepTimeout, context, ownership, processor::handleNext);
    consumer = vertx.eventBus().localConsumer(PipelineAddresses.CONVERSATION_READY, msg -> lanes.signal(msg.body()));
    sweepTimer = vertx.setPeriodic(SWEEP_EVERY_MS, id -> sweep(SWEEP_AGE));
    renewTimer = vertx.setPeriodic(LEASE_TTL.toMillis() / 3, id -> lanes.renewOwnership());
    return consumer.completion().compose(v -> sweep(Duration.ZERO));
  }

  private Future<Void> sweep(Duration olderThan) {
    return inbound.conversationsWithPendingWork(olderThan, SWEEP_LIMIT)
        .onSuccess(conversations -> {
          if (!conversations.isEmpty() && olderThan.isZero()) {
            LOG.info("resuming {} conversation(s) with messages recorded before the restart", conversations.size());
          }
          conversations.forEach(lanes::signal);
        })
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("sweep for pending messages failed: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(renewTimer);
    processor.stop();
    return consumer.unregister().compose(v -> waitForLanes());
  }

  private Future<Void> waitForLanes() {
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    vertx.setPeriodic(50, id -> {
      if (lanes.running() == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        if (lanes.running() > 0) {
          LOG.warn("{} conversation(s) still running at shutdown; their messages stay pending", lanes.running());
        }
        drained.tryComplete();
      }
    });
    return drained.future();
  }
}
