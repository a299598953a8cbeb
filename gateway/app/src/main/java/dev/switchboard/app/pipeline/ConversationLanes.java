package dev.switchboard.app.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane per conversation: its messages are handled one at a time, in order; different conversations run in
 * parallel, up to a limit. A lane takes steps (one message each) until a step says nothing is left; a signal
 * that arrives while it runs makes it look again. A step that does not finish within the step timeout frees
 * its lane (its commit, if it ever comes, is still checked against the session version). Confined to one
 * event-loop context (not thread-safe).
 *
 * <p>Across nodes, a lane first takes ownership of its conversation ({@link LaneOwnership}); when another node
 * has it, the lane ends at once and looks once more a little later, in case that node was just finishing.
 * A step that timed out frees its lane although it may still be running; a second run of that message's skill
 * can then happen, but never a second commit (sessions are versioned).
 *
 * <p>Bounded: at most {@code maxRunning} lanes run and {@link #MAX_WAITING} conversations wait; further signals
 * are dropped, which loses nothing because the work is in the durable inbound log and the pipeline's sweep
 * finds it.
 */
final class ConversationLanes {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationLanes.class);
  static final int MAX_WAITING = 100_000;
  static final Duration RECHECK_AFTER = Duration.ofSeconds(1);

  private final int maxRunning;
  private final Function<String, Future<Boolean>> step;
  private final Duration stepTimeout;
  private final Context context;
  /** Running lanes; the value says whether a signal came in while it ran. */
  private final Map<String, Boolean> running = new HashMap<>();
  private final LinkedHashSet<String> waiting = new LinkedHashSet<>();
  private final Set<String> recheckScheduled = new HashSet<>();
  private final LaneOwnership ownership;

  /**
   * @param step handles one message of a conversation; answers whether there may be more
   * @param context the event-loop context the lanes live on
   */
  ConversationLanes(int maxRunning, Duration stepTimeout, Context context, LaneOwnership ownership,
      Function<String, Future<Boolean>> step) {
    this.maxRunning = maxRunning;
    this.ownership = ownership;
    this.stepTimeout = stepTimeout;
    this.context = context;
    this.step = step;
  }

  /** Says the conversation has work. */
  void signal(String conversation) {
    if (running.containsKey(conversation)) {
      running.put(conversation, true);
    } else if (running.size() >= maxRunning) {
      if (waiting.size() < MAX_WAITING) {
        waiting.add(conversation);
      }
    } else {
      start(conversation);
    }
  }

  /** Keeps the ownership of every running lane alive; called periodically. */
  void renewOwnership() {
    running.keySet().forEach(ownership::renew);
  }

  /** Lanes running now. */
  int running() {
    return running.size();
  }

  private void start(String conversation) {
    running.put(conversation, false);
    ownership.acquire(conversation).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        runStep(conversation);
      } else {
        end(conversation, true, false);
      }
    });
  }

  private void runStep(String conversation) {
    Future<Boolean> result;
    try {
      result = step.apply(conversation).timeout(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        // a fresh task, so a long backlog never deepens the stack
        context.runOnContext(v -> runStep(conversation));
        return;
      }
      if (ar.failed()) {
        LOG.warn("conversation={} handling stopped, will retry: {}", conversation, ar.cause().toString());
      }
      ownership.release(conversation);
      end(conversation, false, ar.failed());
    });
  }

  /**
   * Ends a lane. A lane that could not own its conversation, or whose step failed (storage hiccup, timeout),
   * looks again a little later rather than waiting for the sweep.
   */
  private void end(String conversation, boolean ownedElsewhere, boolean failed) {
    boolean again = running.remove(conversation);
    if (ownedElsewhere || failed) {
      if (recheckScheduled.add(conversation)) {
        context.owner().setTimer(RECHECK_AFTER.toMillis(), id -> {
          recheckScheduled.remove(conversation);
          signal(conversation);
        });
      }
    } else if (again) {
      signal(conversation);
    }
    while (running.size() < maxRunning && !waiting.isEmpty()) {
      String next = waiting.iterator().next();
      waiting.remove(next);
      signal(next);
    }
  }
}
