package dev.switchboard.app.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * What the gateway counts about its traffic, as real Prometheus types (counters, and classic histograms with
 * {@code _bucket} series), in one registry that {@code /metrics} exposes. The dashboards and alert rules in
 * {@code compose/} use these names; a test checks that every name they use is here.
 */
public final class GatewayMetrics {
  /** Latency buckets from 5 ms to 30 s: a turn with a model call is seconds, a plain one milliseconds. */
  private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private final PrometheusRegistry registry;
  private final Counter received;
  private final Counter duplicates;
  private final Counter rateLimited;
  private final Counter replies;
  private final Counter httpRequests;
  private final Histogram turnDuration;
  private final Histogram deliveryDuration;
  private final Histogram skillDuration;
  private final Histogram ingressBatch;
  private final Histogram inference;
  private final Gauge outboxBacklog;
  private final Gauge outboxOldest;
  private final Gauge storageUp;

  public GatewayMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    received = Counter.builder().name("switchboard_messages_received")
        .help("New inbound messages recorded, by channel").labelNames("channel").register(registry);
    duplicates = Counter.builder().name("switchboard_messages_duplicate")
        .help("Inbound messages recorded before (a platform's retry, a caller's repeated id), by channel")
        .labelNames("channel").register(registry);
    rateLimited = Counter.builder().name("switchboard_messages_rate_limited")
        .help("Inbound messages over their sender's quota, by channel").labelNames("channel").register(registry);
    replies = Counter.builder().name("switchboard_replies")
        .help("Reply deliveries by channel and outcome: delivered, failed (given up) or retried (tried again later)")
        .labelNames("channel", "outcome").register(registry);
    httpRequests = Counter.builder().name("switchboard_http_requests")
        .help("HTTP requests answered, by route and status code").labelNames("route", "status").register(registry);
    turnDuration = Histogram.builder().name("switchboard_turn_duration_seconds")
        .help("From a message's admission to its reply committed, by channel").labelNames("channel")
        .classicOnly().classicUpperBounds(SECONDS).register(registry);
    deliveryDuration = Histogram.builder().name("switchboard_delivery_duration_seconds")
        .help("One delivery attempt to the platform (or callback), by channel").labelNames("channel")
        .classicOnly().classicUpperBounds(SECONDS).register(registry);
    skillDuration = Histogram.builder().name("switchboard_skill_duration_seconds")
        .help("A skill's handling of one message, by skill").labelNames("skill")
        .classicOnly().classicUpperBounds(SECONDS).register(registry);
    ingressBatch = Histogram.builder().name("switchboard_ingress_batch_size")
        .help("Messages recorded together in one statement and commit")
        .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
    inference = Histogram.builder().name("switchboard_inference_duration_seconds")
        .help("An embedding request, queue and model, by model").labelNames("model")
        .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
        .register(registry);
    outboxBacklog = Gauge.builder().name("switchboard_outbox_backlog")
        .help("Replies waiting for delivery (all nodes)").register(registry);
    outboxOldest = Gauge.builder().name("switchboard_outbox_oldest_age_seconds")
        .help("Age of the oldest reply waiting for delivery, 0 when none waits").register(registry);
    storageUp = Gauge.builder().name("switchboard_storage_up")
        .help("1 while the store answers, by store (postgres, redis)").labelNames("store").register(registry);
    GaugeWithCallback.builder().name("switchboard_cpu_cores").help("CPUs available to the JVM")
        .callback(cb -> cb.call(Runtime.getRuntime().availableProcessors())).register(registry);
  }

  /**
   * Starts every per-channel series at zero, so that a rate or an alert over them has a series to read before
   * the first message of its kind (Prometheus shows a counter only once it has a label set).
   */
  public void channels(java.util.Collection<String> channels) {
    for (String channel : channels) {
      received.labelValues(channel);
      duplicates.labelValues(channel);
      rateLimited.labelValues(channel);
      for (String outcome : new String[] {"delivered", "failed", "retried"}) {
        replies.labelValues(channel, outcome);
      }
      turnDuration.labelValues(channel);
      deliveryDuration.labelValues(channel);
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** A message admitted on {@code channel}; {@code duplicate} when it was recorded before. */
  public void received(String channel, boolean duplicate) {
    (duplicate ? duplicates : received).labelValues(channel).inc();
  }

  public void rateLimited(String channel) {
    rateLimited.labelValues(channel).inc();
  }

  /** A delivery attempt's outcome: {@code delivered}, {@code failed} or {@code retried}. */
  public void reply(String channel, String outcome, Duration took) {
    replies.labelValues(channel, outcome).inc();
    deliveryDuration.labelValues(channel).observe(took.toNanos() / 1e9);
  }

  /** Replies the channel answered in its HTTP response (a Slack command, Discord), delivered with no attempt. */
  public void repliedInline(String channel, int replies) {
    this.replies.labelValues(channel, "delivered").inc(replies);
  }

  public void http(String route, int status) {
    httpRequests.labelValues(route, Integer.toString(status)).inc();
  }

  /** A turn committed for a message received at {@code receivedAt}. */
  public void turn(String channel, Instant receivedAt) {
    turnDuration.labelValues(channel).observe(Math.max(0, Duration.between(receivedAt, Instant.now()).toNanos() / 1e9));
  }

  public void skill(String skill, Duration took) {
    skillDuration.labelValues(skill).observe(took.toNanos() / 1e9);
  }

  public void inference(String model, Duration took) {
    inference.labelValues(model).observe(took.toNanos() / 1e9);
  }

  public void ingressBatch(int size) {
    ingressBatch.observe(size);
  }

  public void outbox(long backlog, double oldestSeconds) {
    outboxBacklog.set(backlog);
    outboxOldest.set(oldestSeconds);
  }

  public void storage(String store, boolean up) {
    storageUp.labelValues(store).set(up ? 1 : 0);
  }

  /** Reads {@code busy} at each scrape as {@code switchboard_lanes_busy}. */
  public void lanesBusy(IntSupplier busy) {
    GaugeWithCallback.builder().name("switchboard_lanes_busy")
        .help("Conversations with a turn running or waiting on this node")
        .callback(cb -> cb.call(busy.getAsInt())).register(registry);
  }
}
