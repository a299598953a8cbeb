package dev.switchboard.app.skills;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link Skill#handle} off the event loop: on a virtual thread per call when the JVM has them (Java 21+),
 * else on a bounded pool of platform threads that refuses work when its queue is full. Each call is cut off
 * after the timeout; its thread is interrupted.
 */
public final class SkillRunner implements AutoCloseable {
  private static final int POOL_THREADS = 32;
  private static final int POOL_QUEUE = 1024;

  private final ExecutorService executor;
  private final Duration timeout;
  private final boolean virtualThreads;

  private final Vertx vertx;

  public SkillRunner(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    ExecutorService virtual = virtualThreadExecutor();
    this.virtualThreads = virtual != null;
    this.executor = virtual != null ? virtual : boundedPool();
  }

  /** {@code true} when skills run on virtual threads. */
  public boolean virtualThreads() {
    return virtualThreads;
  }

  /**
   * Calls the skill. Fails with {@link TimeoutException} when it takes too long and with
   * {@link RejectedExecutionException} when the pool is full; otherwise with whatever the skill threw.
   */
  public Future<SkillResponse> run(Skill skill, Envelope envelope, SkillContext context) {
    // The outcome is handed back on the caller's context, so the pipeline's bookkeeping stays single-threaded.
    Context caller = vertx.getOrCreateContext();
    Promise<SkillResponse> promise = Promise.promise();
    java.util.concurrent.Future<?> task;
    try {
      task = executor.submit(() -> {
        SkillResponse response;
        try {
          response = skill.handle(envelope, context);
        } catch (Throwable e) {
          caller.runOnContext(v -> promise.tryFail(e));
          return;
        }
        SkillResponse result = response == null ? SkillResponse.none() : response;
        caller.runOnContext(v -> promise.tryComplete(result));
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(e);
    }
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (promise.tryFail(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))) {
        task.cancel(true);
      }
    });
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21+, else {@code null}; the build targets 17. */
  private static ExecutorService virtualThreadExecutor() {
    try {
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static ExecutorService boundedPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(POOL_QUEUE), r -> {
          Thread t = new Thread(r, "skill-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
