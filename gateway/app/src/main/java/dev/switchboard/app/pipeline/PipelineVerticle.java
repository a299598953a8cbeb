package dev.switchboard.app.pipeline;

import dev.switchboard.app.health.OutageWarning;
import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.session.SessionStore;
import dev.switchboard.app.shard.ShardOwnership;
import dev.switchboard.app.skills.SkillRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the conversation lanes of the shards this node holds. Admitted messages arrive in memory
 * ({@link #offer}); PostgreSQL is read back only by the recovery sweep: when shards are gained (at start, or
 * taken over from a node that died), when another node announces work for a held shard, when the lanes had no
 * room, and every {@link #SWEEP_EVERY} for anything older than {@link #SWEEP_AGE} that slipped through. On stop
 * it lets running turns finish (up to {@link #DRAIN_TIMEOUT}) and gives its shards back.
 */
final class PipelineVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineVerticle.class);
  private final OutageWarning sweepOutage = new OutageWarning(LOG, "PostgreSQL");
  static final Duration SWEEP_AGE = Duration.ofSeconds(5);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
  /** No more turns at once than skill slots, so a turn never finds the skill runner full. */
  private static final int MAX_RUNNING = SkillRunner.MAX_RUNNING;
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

  private final InboundStore inbound;
  private final TurnPipeline turns;
  private final ShardOwnership ownership;
  private final SessionStore sessions;
  private final Completions completions;
  private final WorkNotifications notifications;
  private final DeliveryPolicy.Resolver delivery;
  private final Duration stepTimeout;
  private final ConversationEraser eraser;
  private volatile ConversationLanes lanes;
  private long cycleTimer;
  private long sweepTimer;
  /** Shards to sweep next, and whether a sweep is running (sweeps run one at a time). */
  private final Set<Integer> toSweep = new HashSet<>();
  /** Where in the log the next sweep starts: past what the lanes hold when only overflow is read back. */
  private long sweepFrom = Long.MAX_VALUE;
  private boolean sweeping;

  /** @param skillTimeout the skill timeout; a turn may take a little longer (storage round trips) */
  PipelineVerticle(InboundStore inbound, TurnPipeline turns, ShardOwnership ownership, SessionStore sessions,
      Completions completions, WorkNotifications notifications, DeliveryPolicy.Resolver delivery,
      Duration skillTimeout, ConversationEraser eraser) {
    this.inbound = inbound;
    this.turns = turns;
    this.ownership = ownership;
    this.sessions = sessions;
    this.completions = completions;
    this.notifications = notifications;
    this.delivery = delivery;
    this.stepTimeout = skillTimeout.plusSeconds(30);
    this.eraser = eraser;
  }

  /** Conversations with a turn running or waiting on this node; thread-safe. */
  int busyLanes() {
    ConversationLanes current = lanes;
    return current == null ? 0 : current.size();
  }

  /** Hands an admitted message of a held shard to its lane; thread-safe. */
  void offer(PendingMessage message) {
    context.runOnContext(v -> lanes.offer(message));
  }

  /** Erases a conversation everywhere (see {@link ConversationEraser}); runs on this verticle's context. */
  Future<JsonObject> erase(String conversation) {
    Promise<JsonObject> erased = Promise.promise();
    context.runOnContext(v -> eraser.erase(conversation).onComplete(erased));
    return erased.future();
  }

  @Override
  public Future<?> start() {
    lanes = new ConversationLanes(MAX_RUNNING, stepTimeout, context, turns::handle,
        message -> completions.forget(message.key()), this::sweepLeftInLog, shard -> sweep(Set.of(shard)));
    ownership.listener(new ShardOwnership.Listener() {
      @Override
      public void gained(Set<Integer> shards) {
        sessions.forgetShards(shards);
        sweep(shards);
      }

      @Override
      public void lost(Set<Integer> shards) {
        sessions.forgetShards(shards);
        lanes.dropShards(shards);
      }
    });
    cycleTimer = vertx.setPeriodic(ShardOwnership.RENEW_EVERY.toMillis(), id -> ownership.cycle());
    sweepTimer = vertx.setPeriodic(SWEEP_EVERY.toMillis(), id -> sweepOld());
    return notifications.listen(this::sweep, erased -> sessions.evict(erased)).compose(v -> ownership.cycle());
  }

  /** Reads back what the lanes had no room for, from the lowest place in the log left there on. */
  private void sweepLeftInLog(long fromSeq) {
    requestSweep(allHeld(), fromSeq);
  }

  /** Reads back the unhandled messages of these shards (those still held) into the lanes. */
  private void sweep(Set<Integer> shards) {
    requestSweep(shards, 0);
  }

  private void requestSweep(Set<Integer> shards, long fromSeq) {
    toSweep.addAll(shards);
    sweepFrom = Math.min(sweepFrom, fromSeq);
    if (sweeping) {
      return;
    }
    int[] held = toSweep.stream().filter(ownership::owns).mapToInt(Integer::intValue).toArray();
    long from = sweepFrom;
    toSweep.clear();
    sweepFrom = Long.MAX_VALUE;
    int room = ConversationLanes.MAX_QUEUED - lanes.queued();
    if (held.length == 0) {
      return;
    }
    if (room <= 0) {
      lanes.leftInLog(from);
      return;
    }
    sweeping = true;
    inbound.pendingInShards(held, from, Duration.ZERO, room, delivery)
        .onSuccess(messages -> {
          sweepOutage.answered();
          offerAll(messages);
          if (messages.size() == room) { // more may wait past this page: read on once there is room
            lanes.leftInLog(messages.get(messages.size() - 1).seq() + 1);
          }
        })
        .onFailure(e -> sweepOutage.failed(e, "recorded messages wait in PostgreSQL"))
        .onComplete(ar -> sweepDone());
  }

  private void offerAll(List<PendingMessage> messages) {
    for (PendingMessage m : messages) {
      if (ownership.owns(m.shard())) {
        completions.expect(m.key());
        lanes.offer(m);
      }
    }
  }

  private void sweepDone() {
    sweeping = false;
    if (!toSweep.isEmpty()) {
      requestSweep(Set.of(), sweepFrom);
    }
  }

  /** The safety net: what waited longer than {@link #SWEEP_AGE} in a held shard (a lost notification). */
  private void sweepOld() {
    int[] held = ownership.heldShards();
    int room = ConversationLanes.MAX_QUEUED - lanes.queued();
    if (held.length == 0 || room <= 0 || sweeping) {
      return;
    }
    sweeping = true;
    inbound.pendingInShards(held, 0, SWEEP_AGE, Math.min(room, 1_000), delivery)
        .onSuccess(this::offerAll)
        .onFailure(e -> sweepOutage.failed(e, "recorded messages wait in PostgreSQL"))
        .onComplete(ar -> sweepDone());
  }

  private Set<Integer> allHeld() {
    Set<Integer> held = new HashSet<>();
    for (int shard : ownership.heldShards()) {
      held.add(shard);
    }
    return held;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(cycleTimer);
    vertx.cancelTimer(sweepTimer);
    lanes.stop();
    return waitForTurns()
        .compose(v -> ownership.releaseAll())
        .eventually(notifications::close);
  }

  private Future<Void> waitForTurns() {
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    vertx.setPeriodic(50, id -> {
      if (lanes.running() == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        if (lanes.running() > 0) {
          LOG.warn("{} turn(s) still running at shutdown; their messages stay pending", lanes.running());
        }
        drained.tryComplete();
      }
    });
    return drained.future();
  }
}
