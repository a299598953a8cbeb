package dev.switchboard.app.batch;

import dev.switchboard.channels.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit: items submitted while earlier writes are in flight are written together, one round trip for
 * the lot. Under light load an item is written alone at once (no added delay); under heavy load batches grow
 * and the cost of a round trip is shared. Each caller hears back, on its own context, only when its own item
 * is written. Thread-safe: callers on several event loops share one instance.
 *
 * <p>Bounded: at most {@code maxQueued} items wait; further ones are refused with 503 and {@code Retry-After}.
 * When a batch of several fails, each item is written again on its own, so one bad item fails only itself.
 *
 * @param <I> what is written
 * @param <O> what each item's writer hears back
 */
public final class GroupCommit<I, O> {

  /** Limits: the largest batch, writes in flight at once, items waiting. */
  public record Limits(int maxBatch, int maxInFlight, int maxQueued) {}

  private record Waiting<I, O>(I item, Context context, Promise<O> promise) {}

  private final Vertx vertx;
  private final String what;
  private final Limits limits;
  private final Function<List<I>, Future<List<O>>> write;
  private final ArrayDeque<Waiting<I, O>> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param what what is written, for the refusal's message
   * @param write writes a batch; answers one result per item, in order
   */
  public GroupCommit(Vertx vertx, String what, Limits limits, Function<List<I>, Future<List<O>>> write) {
    this.vertx = vertx;
    this.what = what;
    this.limits = limits;
    this.write = write;
  }

  /** Writes the item with whatever else is waiting; completes on the caller's context. */
  public Future<O> submit(I item) {
    Waiting<I, O> waiting = new Waiting<>(item, vertx.getOrCreateContext(), Promise.promise());
    List<Waiting<I, O>> batch;
    synchronized (this) {
      if (queue.size() >= limits.maxQueued()) {
        return Future.failedFuture(ApiError.unavailable("too many " + what + " are waiting to be stored", 1));
      }
      queue.add(waiting);
      batch = takeBatch();
    }
    if (batch != null) {
      write(batch);
    }
    return waiting.promise().future();
  }

  /** Items waiting now (not counting those being written). */
  public synchronized int queued() {
    return queue.size();
  }

  /** The next batch if another write may start, else {@code null}. Call holding the lock. */
  private List<Waiting<I, O>> takeBatch() {
    if (queue.isEmpty() || inFlight >= limits.maxInFlight()) {
      return null;
    }
    inFlight++;
    List<Waiting<I, O>> batch = new ArrayList<>(Math.min(queue.size(), limits.maxBatch()));
    while (!queue.isEmpty() && batch.size() < limits.maxBatch()) {
      batch.add(queue.poll());
    }
    return batch;
  }

  private void write(List<Waiting<I, O>> batch) {
    attempt(batch.stream().map(Waiting::item).toList()).onComplete(ar -> {
      if (ar.failed() && batch.size() > 1) {
        batch.forEach(w -> attempt(List.of(w.item())).onComplete(single ->
            answer(w, single.map(results -> results.get(0)).result(), single.cause())));
      } else {
        for (int i = 0; i < batch.size(); i++) {
          answer(batch.get(i), ar.succeeded() ? ar.result().get(i) : null, ar.cause());
        }
      }
      finishWrite();
    });
  }

  private Future<List<O>> attempt(List<I> items) {
    try {
      return write.apply(items).compose(results -> results.size() == items.size()
          ? Future.succeededFuture(results)
          : Future.failedFuture(new IllegalStateException(results.size() + " results for " + items.size() + " items")));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static <I, O> void answer(Waiting<I, O> w, O result, Throwable failure) {
    w.context().runOnContext(v -> {
      if (failure != null) {
        w.promise().fail(failure);
      } else {
        w.promise().complete(result);
      }
    });
  }

  private void finishWrite() {
    List<Waiting<I, O>> next;
    synchronized (this) {
      inFlight--;
      next = takeBatch();
    }
    if (next != null) {
      write(next);
    }
  }
}
