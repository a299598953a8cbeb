package dev.switchboard.app.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Callers waiting for a message to be handled ({@code POST /v1/messages?wait=10}). The pipeline says when a
 * message is done; each waiter resumes on its own context. At most {@link #MAX_WAITERS} wait at once; beyond
 * that a caller gets its answer at once (and reads the reply later), never unbounded memory.
 */
public final class Completions {
  static final int MAX_WAITERS = 10_000;

  private record Waiter(Context context, Promise<Void> promise) {}

  private final Vertx vertx;
  private final ConcurrentHashMap<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  public Completions(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A wait in progress; {@link #cancel()} ends it early and frees its slot. */
  public record Wait(Future<Void> future, Runnable cancel) {}

  /** Waits until {@link #done} is called for {@code key}, or {@code max} has passed. */
  public Wait await(String key, Duration max) {
    if (count.incrementAndGet() > MAX_WAITERS) {
      count.decrementAndGet();
      return new Wait(Future.succeededFuture(), () -> { });
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    Waiter waiter = new Waiter(context, promise);
    waiters.compute(key, (k, list) -> {
      List<Waiter> updated = list == null ? new CopyOnWriteArrayList<>() : list;
      updated.add(waiter);
      return updated;
    });
    long timer = vertx.setTimer(Math.max(1, max.toMillis()), id -> promise.tryComplete());
    Future<Void> future = promise.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      count.decrementAndGet();
      waiters.computeIfPresent(key, (k, list) -> {
        list.remove(waiter);
        return list.isEmpty() ? null : list;
      });
    });
    return new Wait(future, () -> context.runOnContext(v -> promise.tryComplete()));
  }

  /** Wakes everyone waiting for {@code key}. */
  public void done(String key) {
    List<Waiter> list = waiters.get(key);
    if (list != null) {
      for (Waiter w : list) {
        w.context().runOnContext(v -> w.promise().tryComplete());
      }
    }
  }

  /** The key of one message. */
  public static String key(String channel, String messageId) {
    return channel + "\u0000" + messageId;
  }
}
