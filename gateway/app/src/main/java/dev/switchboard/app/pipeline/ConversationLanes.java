package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane per conversation, in memory: admitted messages are handed here directly, and handled one at a time
 * per conversation, oldest first (by their place in the log); different conversations take turns, up to
 * {@code maxRunning} at once. A message leaves its lane when its turn is committed, or handled elsewhere; a
 * turn that found the session moved runs again at once, one that failed (storage hiccup, busy skill pool) a
 * little later. Confined to one event-loop context (not thread-safe).
 *
 * <p>Bounded: at most {@link #MAX_QUEUED} messages wait in memory. Beyond that a message is left in the
 * durable log only, and once there is room again {@code onRoom} runs with the lowest place in the log left
 * there (the recovery sweep reads them back from that place on, past what is already in memory).
 */
final class ConversationLanes {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationLanes.class);
  static final int MAX_QUEUED = 10_000;
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  /** How long a lane whose turn was behind waits for the older message to be read back before trying again. */
  static final Duration BEHIND_WAIT = Duration.ofSeconds(1);
  private static final int RECENT = 4_096;

  private static final class Lane {
    final String conversation;
    final int shard;
    final TreeMap<Long, PendingMessage> queue = new TreeMap<>();
    boolean running;
    boolean ready;
    boolean retryScheduled;
    /** The message whose commit found an older one of the conversation waiting in the log, until then. */
    long behind;
    long behindUntil;

    Lane(String conversation, int shard) {
      this.conversation = conversation;
      this.shard = shard;
    }

    /** Still waiting for an older message to be read back: none queued before the one that was behind, yet. */
    boolean waitingForOlder() {
      if (behind == 0) {
        return false;
      }
      if (queue.isEmpty() || queue.firstKey() < behind || System.nanoTime() >= behindUntil) {
        behind = 0;
        return false;
      }
      return true;
    }
  }

  private final int maxRunning;
  private final Duration stepTimeout;
  private final Context context;
  private final Function<PendingMessage, Future<CommitResult>> step;
  private final Consumer<PendingMessage> letGo;
  private final LongConsumer onRoom;
  private final IntConsumer readBack;
  private final Map<String, Lane> lanes = new HashMap<>();
  /** How many lanes there are, for readers on other threads (the metrics). */
  private volatile int size;
  private final Set<Long> known = new HashSet<>();
  /** Messages handled here lately: a sweep that read one just before its commit must not queue it again. */
  private final Set<Long> recentlyDone = new LinkedHashSet<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private int running;
  private int queued;
  /** The lowest place in the log of a message left there for lack of room, or {@code Long.MAX_VALUE}. */
  private long leftFrom = Long.MAX_VALUE;
  private boolean stopping;

  /**
   * @param step one turn; answers its commit's result, or {@code null} when this node does not own the message
   * @param letGo told of each message this node lets go without handling it (another node, or the sweep, will)
   * @param onRoom runs when there is room again after messages were left in the log, with the lowest place of
   *     those in the log
   * @param readBack reads a shard's waiting messages back from the log into the lanes
   */
  ConversationLanes(int maxRunning, Duration stepTimeout, Context context,
      Function<PendingMessage, Future<CommitResult>> step, Consumer<PendingMessage> letGo, LongConsumer onRoom,
      IntConsumer readBack) {
    this.maxRunning = maxRunning;
    this.stepTimeout = stepTimeout;
    this.context = context;
    this.step = step;
    this.letGo = letGo;
    this.onRoom = onRoom;
    this.readBack = readBack;
  }

  /**
   * Queues a message on its conversation's lane (a message already queued or running is ignored). Answers
   * {@code false} when there is no room: it stays in the durable log for the sweep.
   */
  boolean offer(PendingMessage message) {
    if (known.contains(message.seq()) || recentlyDone.contains(message.seq())) {
      return true;
    }
    if (queued >= MAX_QUEUED || stopping) {
      leftFrom = Math.min(leftFrom, message.seq());
      letGo.accept(message);
      return false;
    }
    known.add(message.seq());
    queued++;
    Lane lane = lanes.computeIfAbsent(message.conversation(), c -> new Lane(c, message.shard()));
    size = lanes.size();
    lane.queue.put(message.seq(), message);
    schedule(lane);
    return true;
  }

  /** Says messages from this place in the log on were left there: read back once there is room. */
  void leftInLog(long fromSeq) {
    leftFrom = Math.min(leftFrom, fromSeq);
    if (queued < MAX_QUEUED / 2 && !stopping) {
      long from = leftFrom;
      leftFrom = Long.MAX_VALUE;
      context.runOnContext(v -> onRoom.accept(from));
    }
  }

  /** Forgets what is queued for these shards (another node works them now); turns running finish. */
  void dropShards(Set<Integer> shards) {
    Iterator<Lane> it = lanes.values().iterator();
    while (it.hasNext()) {
      Lane lane = it.next();
      if (!shards.contains(lane.shard)) {
        continue;
      }
      PendingMessage head = lane.running ? lane.queue.firstEntry().getValue() : null;
      for (PendingMessage message : lane.queue.values()) {
        if (message != head) {
          forget(message);
        }
      }
      lane.queue.clear();
      if (head != null) {
        lane.queue.put(head.seq(), head);
      } else {
        it.remove();
      }
    }
    size = lanes.size();
  }

  /** Conversations with a turn running or waiting here; may be read from any thread. */
  int size() {
    return size;
  }

  /** No new turn starts after this; those running finish. */
  void stop() {
    stopping = true;
  }

  /** Turns running now. */
  int running() {
    return running;
  }

  /** Messages waiting in memory, running ones included. */
  int queued() {
    return queued;
  }

  private void schedule(Lane lane) {
    if (lane.running || lane.ready || lane.retryScheduled || lane.queue.isEmpty() || lane.waitingForOlder()) {
      return;
    }
    lane.ready = true;
    ready.add(lane);
    startTurns();
  }

  private void startTurns() {
    while (running < maxRunning && !ready.isEmpty() && !stopping) {
      Lane lane = ready.poll();
      lane.ready = false;
      if (!lane.queue.isEmpty()) {
        run(lane);
      }
    }
  }

  private void run(Lane lane) {
    lane.running = true;
    running++;
    PendingMessage message = lane.queue.firstEntry().getValue();
    Future<CommitResult> result;
    try {
      result = step.apply(message).timeout(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> context.runOnContext(v -> finished(lane, message, ar.succeeded() ? ar.result() : null,
        ar.failed() ? ar.cause() : null)));
  }

  private void finished(Lane lane, PendingMessage message, CommitResult result, Throwable failure) {
    lane.running = false;
    running--;
    if (failure != null) {
      TurnLog.about(LOG.atWarn(), message.envelope()).log("not handled, will retry: {}", failure.toString());
      retryLater(lane);
    } else if (result == CommitResult.BEHIND) {
      // the same message again once an older one is queued before it, or after a while (it may be gone by then)
      lane.behind = message.seq();
      lane.behindUntil = System.nanoTime() + BEHIND_WAIT.toNanos();
      context.owner().setTimer(BEHIND_WAIT.toMillis(), id -> schedule(lane));
      readBack.accept(lane.shard);
    } else if (result != CommitResult.CONFLICT && lane.queue.remove(message.seq()) != null) {
      known.remove(message.seq());
      queued--;
      if (result == CommitResult.OK || result == CommitResult.HANDLED) {
        remember(message.seq());
      } else { // its shard is not ours (any more): the owner finds it and the rest of the shard in the log
        letGo.accept(message);
        dropShards(Set.of(lane.shard));
      }
    }
    if (lane.queue.isEmpty() && !lane.running) {
      lanes.remove(lane.conversation, lane);
      size = lanes.size();
    } else {
      schedule(lane);
    }
    startTurns();
    if (leftFrom != Long.MAX_VALUE && queued < MAX_QUEUED / 2 && !stopping) {
      long from = leftFrom;
      leftFrom = Long.MAX_VALUE;
      onRoom.accept(from);
    }
  }

  private void remember(long seq) {
    recentlyDone.add(seq);
    if (recentlyDone.size() > RECENT) {
      Iterator<Long> oldest = recentlyDone.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private void retryLater(Lane lane) {
    lane.retryScheduled = true;
    context.owner().setTimer(RETRY_AFTER.toMillis(), id -> {
      lane.retryScheduled = false;
      schedule(lane);
    });
  }

  /** A message leaves memory unhandled: another node will handle it. */
  private void forget(PendingMessage message) {
    known.remove(message.seq());
    queued--;
    letGo.accept(message);
  }
}
