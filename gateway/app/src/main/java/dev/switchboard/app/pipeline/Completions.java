package dev.switchboard.app.pipeline;

import dev.switchboard.channels.MessageReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reports of messages this node's lanes are handling, handed from the turn to callers waiting for them
 * ({@code POST /v1/messages?wait=10}, a Slack command's 3 s) in memory, without a query. A message is
 * {@link #expect expected} when it is queued on this node, {@link #done done} when its turn commits (the report
 * is then kept a little while for a caller who arrives late) and {@link #forget forgotten} when this node lets
 * it go (its shard moved); a waiter on a message that is not expected hears {@code null} at once and looks in
 * the store instead.
 *
 * <p>Bounded: at most {@link #MAX_WAITERS} callers wait at once (beyond that a caller hears {@code null} at
 * once) and {@link #MAX_KEPT} reports are kept after their turn.
 */
public final class Completions {
  static final int MAX_WAITERS = 10_000;
  static final int MAX_KEPT = 4_096;

  private record Waiter(Context context, Promise<MessageReport> promise) {}

  /** One expected message: its waiters, and its report once done. */
  private static final class Entry {
    final List<Waiter> waiters = new ArrayList<>(1);
    MessageReport report;
  }

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> kept = new ConcurrentLinkedQueue<>();
  private final AtomicInteger keptCount = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();

  public Completions(Vertx vertx) {
    this.vertx = vertx;
  }

  /** This node will handle the message: a caller may wait for it here. */
  public void expect(String key) {
    entries.putIfAbsent(key, new Entry());
  }

  /** The message's turn committed: wakes its waiters with the report and keeps it a while. */
  public void done(String key, MessageReport report) {
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    List<Waiter> woken;
    synchronized (entry) {
      entry.report = report;
      woken = List.copyOf(entry.waiters);
      entry.waiters.clear();
    }
    woken.forEach(w -> w.context().runOnContext(v -> w.promise().tryComplete(report)));
    kept.add(key);
    if (keptCount.incrementAndGet() > MAX_KEPT) {
      String oldest = kept.poll();
      keptCount.decrementAndGet();
      if (oldest != null) {
        entries.computeIfPresent(oldest, (k, e) -> e.report != null ? null : e);
      }
    }
  }

  /** This node lets the message go (another node will handle it): its waiters hear {@code null}. */
  public void forget(String key) {
    Entry entry = entries.computeIfPresent(key, (k, e) -> e.report == null ? null : e);
    if (entry == null || entry.report != null) {
      return;
    }
    List<Waiter> woken;
    synchronized (entry) {
      woken = List.copyOf(entry.waiters);
      entry.waiters.clear();
    }
    woken.forEach(w -> w.context().runOnContext(v -> w.promise().tryComplete(null)));
  }

  /**
   * The message's report once its turn commits here, or {@code null} when this node does not expect it, lets
   * it go, or {@code max} passes first.
   */
  public Future<MessageReport> await(String key, Duration max) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Future.succeededFuture(null);
    }
    if (waiting.incrementAndGet() > MAX_WAITERS) {
      waiting.decrementAndGet();
      return Future.succeededFuture(null);
    }
    Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
    MessageReport done;
    synchronized (entry) {
      done = entry.report;
      if (done == null) {
        entry.waiters.add(waiter);
      }
    }
    if (done != null || entries.get(key) != entry) { // done, or forgotten before we registered
      waiting.decrementAndGet();
      return Future.succeededFuture(done);
    }
    long timer = vertx.setTimer(Math.max(1, max.toMillis()), id -> waiter.promise().tryComplete(null));
    return waiter.promise().future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      waiting.decrementAndGet();
      synchronized (entry) {
        entry.waiters.remove(waiter);
      }
    });
  }
}
