package dev.switchboard.app.pipeline;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane per conversation: its messages are handled one at a time, in order; different conversations run in
 * parallel, up to a limit. A lane drains its conversation until no message is pending; a signal that arrives
 * while it runs makes it look again. Confined to one event-loop context (not thread-safe).
 *
 * <p>Bounded: at most {@code maxRunning} lanes run and {@link #MAX_WAITING} conversations wait; further signals
 * are dropped, which loses nothing because the work is in the durable inbound log and the pipeline's sweep
 * finds it.
 */
final class ConversationLanes {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationLanes.class);
  static final int MAX_WAITING = 100_000;

  private final int maxRunning;
  private final Function<String, Future<Void>> drain;
  /** Running lanes; the value says whether a signal came in while it ran. */
  private final Map<String, Boolean> running = new HashMap<>();
  private final LinkedHashSet<String> waiting = new LinkedHashSet<>();

  ConversationLanes(int maxRunning, Function<String, Future<Void>> drain) {
    this.maxRunning = maxRunning;
    this.drain = drain;
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

  /** Lanes running now. */
  int running() {
    return running.size();
  }

  private void start(String conversation) {
    running.put(conversation, false);
    Future<Void> lane;
    try {
      lane = drain.apply(conversation);
    } catch (RuntimeException e) {
      lane = Future.failedFuture(e);
    }
    lane.onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("conversation={} handling stopped, will retry: {}", conversation, ar.cause().toString());
      }
      boolean again = running.remove(conversation);
      if (again && ar.succeeded()) {
        signal(conversation);
      }
      while (running.size() < maxRunning && !waiting.isEmpty()) {
        String next = waiting.iterator().next();
        waiting.remove(next);
        signal(next);
      }
    });
  }
}
