package dev.switchboard.app.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads what cannot be counted as it happens, every {@link #EVERY_MS}: whether each store answers, and the
 * outbox backlog (one small query). Scrapes then read the latest figures without touching storage.
 */
public final class MetricsSampler {
  static final long EVERY_MS = 10_000;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final Map<String, Supplier<Future<Void>>> pings;
  private final Supplier<Future<double[]>> outboxBacklog;

  /**
   * @param pings per store ({@code postgres}, {@code redis}): succeeds when it answers
   * @param outboxBacklog replies waiting and the oldest one's age in seconds
   */
  public MetricsSampler(Vertx vertx, GatewayMetrics metrics, Map<String, Supplier<Future<Void>>> pings,
      Supplier<Future<double[]>> outboxBacklog) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.pings = Map.copyOf(pings);
    this.outboxBacklog = outboxBacklog;
  }

  /** Samples now and then every 10 s, for as long as Vert.x runs. */
  public void start() {
    sample();
    vertx.setPeriodic(EVERY_MS, id -> sample());
  }

  private void sample() {
    pings.forEach((store, ping) -> ping.get().onComplete(answer -> metrics.storage(store, answer.succeeded())));
    outboxBacklog.get().onSuccess(backlog -> metrics.outbox((long) backlog[0], backlog[1]));
  }
}
