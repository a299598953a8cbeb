package dev.switchboard.app.storage;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded servers running: every second it checks that each one's process is alive, and restarts one
 * that died, on the same port and data, so the gateway carries on without a restart of its own (the clients
 * reconnect by themselves). While restarts fail they are retried with back-off, 1 s doubling up to 30 s; a server
 * down for longer than the recovery limit makes the node report itself not live, so an orchestrator restarts it.
 */
final class StorageSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(StorageSupervisor.class);
  private static final long CHECK_EVERY_MS = 1000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** A server that is down: since when, how many restarts failed, when to try the next one. */
  private record Outage(long sinceNanos, int failedRestarts, long nextAttemptNanos) {}

  private final Vertx vertx;
  private final List<EmbeddedServer> servers;
  private final Duration recoveryLimit;
  // written by checks (one at a time), read by the liveness probe on an event loop (never waiting for a restart)
  private final Map<EmbeddedServer, Outage> outages = new ConcurrentHashMap<>();
  private final AtomicBoolean checking = new AtomicBoolean();
  private long timer = -1;
  private boolean stopped; // guarded by this

  StorageSupervisor(Vertx vertx, List<EmbeddedServer> servers, Duration recoveryLimit) {
    this.vertx = vertx;
    this.servers = List.copyOf(servers);
    this.recoveryLimit = recoveryLimit;
  }

  void start() {
    if (!servers.isEmpty()) {
      timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> {
        if (checking.compareAndSet(false, true)) { // a slow restart is not checked again meanwhile
          vertx.executeBlocking(() -> {
            checkAll();
            return null;
          }, false).onComplete(done -> checking.set(false));
        }
      });
    }
  }

  /** One round of checks: restarts what died, if its back-off allows. Blocking. */
  synchronized void checkAll() {
    for (EmbeddedServer server : servers) {
      if (!stopped) {
        check(server, System.nanoTime());
      }
    }
  }

  private void check(EmbeddedServer server, long now) {
    Outage outage = outages.get(server);
    if (outage == null) {
      if (server.alive()) {
        return;
      }
      LOG.warn("embedded {} stopped unexpectedly; restarting it", server.name());
      outage = new Outage(now, 0, now);
      outages.put(server, outage); // down from now on, however long the restart takes
    }
    if (now < outage.nextAttemptNanos()) {
      return;
    }
    try {
      server.restart();
      outages.remove(server);
      LOG.warn("embedded {} restarted; it was down for {} ms", server.name(),
          (System.nanoTime() - outage.sinceNanos()) / 1_000_000);
    } catch (Exception e) {
      int failed = outage.failedRestarts() + 1;
      Duration wait = Duration.ofSeconds(1L << Math.min(failed - 1, 5));
      wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
      LOG.warn("embedded {} did not restart ({}); trying again in {} s", server.name(), e.getMessage(),
          wait.toSeconds());
      outages.put(server, new Outage(outage.sinceNanos(), failed, System.nanoTime() + wait.toNanos()));
    }
  }

  /** Why the node cannot recover by itself, if so: a server down for longer than the recovery limit. */
  Optional<String> unrecoverable() {
    long now = System.nanoTime();
    return outages.entrySet().stream()
        .filter(e -> now - e.getValue().sinceNanos() > recoveryLimit.toNanos())
        .map(e -> "embedded " + e.getKey().name() + " has not restarted for "
            + Duration.ofNanos(now - e.getValue().sinceNanos()).toSeconds() + " s")
        .findFirst();
  }

  /**
   * No more checks or restarts: the gateway is stopping its servers. Blocking: waits for a restart in progress.
   */
  synchronized void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
