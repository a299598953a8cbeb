package dev.switchboard.app.ingress;

import dev.switchboard.channels.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Group commit for the inbound log: messages that arrive while earlier inserts are in flight are written
 * together, one statement and one commit for the lot. Under light load a message is written alone at once (no
 * added delay); under heavy load batches grow, and the cost of a commit is shared. Each caller still hears
 * back only after its own row is durable. Thread-safe: HTTP servers on several event loops share it.
 *
 * <p>Bounded: when {@link #MAX_QUEUED} messages wait, further ones are refused with 503 and
 * {@code Retry-After}.
 */
public final class IngressBatcher {
  static final int MAX_BATCH = 256;
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_QUEUED = 10_000;

  private record Waiting(InboundStore.NewMessage message, Context context, Promise<Boolean> promise) {}

  private final Vertx vertx;
  private final InboundStore store;
  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
  private int inFlight;

  public IngressBatcher(Vertx vertx, InboundStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Records the message; answers {@code false} when it was recorded before (a duplicate). */
  public Future<Boolean> append(InboundStore.NewMessage message) {
    Waiting waiting = new Waiting(message, vertx.getOrCreateContext(), Promise.promise());
    List<Waiting> batch;
    synchronized (this) {
      if (queue.size() >= MAX_QUEUED) {
        return Future.failedFuture(ApiError.unavailable("too many messages are waiting to be stored", 1));
      }
      queue.add(waiting);
      batch = takeBatch();
    }
    if (batch != null) {
      write(batch);
    }
    return waiting.promise().future();
  }

  /** The next batch if another write may start, else {@code null}. Call holding the lock. */
  private List<Waiting> takeBatch() {
    if (queue.isEmpty() || inFlight >= MAX_IN_FLIGHT) {
      return null;
    }
    inFlight++;
    List<Waiting> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.poll());
    }
    return batch;
  }

  private void write(List<Waiting> batch) {
    store.appendAll(batch.stream().map(Waiting::message).toList()).onComplete(ar -> {
      if (ar.failed() && batch.size() > 1) {
        // one bad row must not fail the others: each is written again on its own
        batch.forEach(w -> store.appendAll(List.of(w.message())).onComplete(single ->
            w.context().runOnContext(v -> {
              if (single.succeeded()) {
                w.promise().complete(single.result().contains(w.message().key()));
              } else {
                w.promise().fail(single.cause());
              }
            })));
        finishWrite();
        return;
      }
      Set<String> firstSeen = new HashSet<>();
      for (Waiting w : batch) {
        if (ar.failed()) {
          w.context().runOnContext(v -> w.promise().fail(ar.cause()));
        } else {
          // a key returned as inserted belongs to the first message with that key in the batch
          boolean inserted = ar.result().contains(w.message().key()) && firstSeen.add(w.message().key());
          w.context().runOnContext(v -> w.promise().complete(inserted));
        }
      }
      finishWrite();
    });
  }

  private void finishWrite() {
    List<Waiting> next;
    synchronized (this) {
      inFlight--;
      next = takeBatch();
    }
    if (next != null) {
      write(next);
    }
  }
}
