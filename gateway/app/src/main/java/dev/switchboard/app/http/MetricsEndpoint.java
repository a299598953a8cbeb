package dev.switchboard.app.http;

import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillHealth;
import dev.switchboard.app.skills.SkillLibrary;
import dev.switchboard.inference.InferenceStats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in Prometheus' text format (the admin caller only): the gateway's traffic metrics, JVM
 * memory, threads and GC, channel health, every active skill's outcomes, and inference (queue depth and limit,
 * texts, batches by size, refusals per model). Figures are read when scraped, so nothing here holds on to a
 * replaced plugin.
 */
public final class MetricsEndpoint {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /**
   * @param registry where the gateway's traffic metrics are ({@link dev.switchboard.app.metrics.GatewayMetrics})
   * @param channels each enabled channel's problem, {@code null} while it is healthy
   * @param inference the embedding service's figures, or {@code null} when none runs
   */
  public MetricsEndpoint(PrometheusRegistry registry, SkillLibrary skills, Map<String, Supplier<String>> channels,
      Supplier<InferenceStats> inference) {
    this.registry = registry;
    JvmMetrics.builder().register(registry);
    registry.register(() -> channelMetrics(channels));
    registry.register(() -> skillMetrics(skills));
    if (inference != null) {
      registry.register(() -> inferenceMetrics(inference.get()));
    }
  }

  /** Mounts {@code GET /metrics}; the admin route in front of it checks the caller. */
  void mount(Router router) {
    router.get("/metrics").handler(ctx -> {
      ctx.response().putHeader("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE).end(scrape());
    });
  }

  /** The current figures, as Prometheus text. */
  public Buffer scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static MetricSnapshots channelMetrics(Map<String, Supplier<String>> channels) {
    GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("switchboard_channel_up")
        .help("1 while the channel is healthy (its platform answers, its poller or socket runs), by channel");
    channels.forEach((name, problem) -> up.dataPoint(gauge(problem.get() == null ? 1 : 0, "channel", name)));
    return MetricSnapshots.of(up.build());
  }

  private static MetricSnapshots skillMetrics(SkillLibrary skills) {
    CounterSnapshot.Builder messages = CounterSnapshot.builder().name("switchboard_skill_messages")
        .help("Messages each active skill handled, by outcome (counts restart when a new version loads)");
    GaugeSnapshot.Builder quarantined = GaugeSnapshot.builder().name("switchboard_skill_quarantined")
        .help("1 while the skill is quarantined after repeated failures");
    for (LoadedSkill skill : skills.current().skills()) {
      SkillHealth.Snapshot h = skill.health().snapshot();
      String name = skill.name();
      messages.dataPoint(counter(h.handled(), "skill", name, "outcome", "handled"))
          .dataPoint(counter(h.failed(), "skill", name, "outcome", "failed"))
          .dataPoint(counter(h.timedOut(), "skill", name, "outcome", "timed_out"))
          .dataPoint(counter(h.refused(), "skill", name, "outcome", "refused_in_quarantine"));
      quarantined.dataPoint(gauge(h.quarantined() ? 1 : 0, "skill", name));
    }
    return MetricSnapshots.of(messages.build(), quarantined.build());
  }

  private static MetricSnapshots inferenceMetrics(InferenceStats stats) {
    List<MetricSnapshot> snapshots = new ArrayList<>();
    snapshots.add(GaugeSnapshot.builder().name("switchboard_inference_queue_depth")
        .help("Texts waiting for the embedding model").dataPoint(gauge(stats.queueDepth())).build());
    snapshots.add(GaugeSnapshot.builder().name("switchboard_inference_queue_limit")
        .help("Texts the queue holds before refusing").dataPoint(gauge(stats.maxQueue())).build());
    CounterSnapshot.Builder texts = CounterSnapshot.builder().name("switchboard_inference_texts")
        .help("Texts embedded, per model");
    CounterSnapshot.Builder refused = CounterSnapshot.builder().name("switchboard_inference_refused")
        .help("Texts refused because the queue was full, per model");
    CounterSnapshot.Builder batches = CounterSnapshot.builder().name("switchboard_inference_batches")
        .help("Forward passes, per model and batch size");
    for (InferenceStats.ModelStats model : stats.models()) {
      texts.dataPoint(counter(model.texts(), "model", model.model()));
      refused.dataPoint(counter(model.refused(), "model", model.model()));
      for (InferenceStats.BatchSizeBucket bucket : model.batchSizes()) {
        batches.dataPoint(counter(bucket.count(), "model", model.model(), "size", bucket.label()));
      }
    }
    snapshots.add(texts.build());
    snapshots.add(refused.build());
    snapshots.add(batches.build());
    return new MetricSnapshots(snapshots);
  }

  private static CounterDataPointSnapshot counter(double value, String... labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  private static GaugeDataPointSnapshot gauge(double value, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }
}
