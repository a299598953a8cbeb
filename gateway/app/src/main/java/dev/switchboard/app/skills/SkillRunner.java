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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link Skill#handle} off the event loop: on a virtual thread per call when the JVM has them (Java 21+),
 * else on a platform thread. At most {@link #MAX_RUNNING} calls run at once; more are refused at once (the
 * message stays pending and is tried again). Each call is cut off after the timeout: its thread is interrupted
 * and its slot freed, so a skill that ignores interrupts and hangs costs a thread, not the gateway's capacity.
 */
public final class SkillRunner implements AutoCloseable {
  public static final int MAX_RUNNING = 64;

  private final ExecutorService executor;
  private final Duration timeout;
  private final boolean virtualThreads;
  private final Semaphore running = new Semaphore(MAX_RUNNING);

  private final Vertx vertx;

  public SkillRunner(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    ExecutorService virtual = virtualThreadExecutor();
    this.virtualThreads = virtual != null;
    this.executor = virtual != null ? virtual : platformThreads();
  }

  /** {@code true} when skills run on virtual threads. */
  public boolean virtualThreads() {
    return virtualThreads;
  }

  /**
   * Calls the skill. Fails with {@link TimeoutException} when it takes too long and with
   * {@link RejectedExecutionException} when the pool is full; otherwise with whatever the skill threw. The
   * skill's own class loader is the thread's context class loader while it runs (libraries inside plugins look
   * there), and is taken off again so a pooled thread keeps no reference to a plugin.
   */
  public Future<SkillResponse> run(Skill skill, ClassLoader loader, Envelope envelope, SkillContext context) {
    // The outcome is handed back on the caller's context, so the pipeline's bookkeeping stays single-threaded.
    Context caller = vertx.getOrCreateContext();
    Promise<SkillResponse> promise = Promise.promise();
    if (!running.tryAcquire()) {
      return Future.failedFuture(new RejectedExecutionException("all " + MAX_RUNNING + " skill slots are busy"));
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        running.release();
      }
    };
    java.util.concurrent.Future<?> task;
    try {
      task = executor.submit(() -> {
        SkillResponse response;
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
          response = skill.handle(envelope, context);
        } catch (Throwable e) {
          caller.runOnContext(v -> promise.tryFail(e));
          return;
        } finally {
          thread.setContextClassLoader(before);
        }
        SkillResponse result = response == null ? SkillResponse.none() : response;
        caller.runOnContext(v -> promise.tryComplete(result));
      });
    } catch (RejectedExecutionException e) {
      release.run();
      return Future.failedFuture(e);
    }
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (promise.tryFail(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))) {
        task.cancel(true);
      }
    });
    return promise.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      release.run();
    });
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

  /** Threads made on demand and kept a minute; their number is bounded by the running-calls semaphore. */
  private static ExecutorService platformThreads() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "skill-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
