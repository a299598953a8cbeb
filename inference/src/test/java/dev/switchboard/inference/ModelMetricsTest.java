package dev.switchboard.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch-size buckets and latency percentiles, as a metrics scrape reads them. */
class ModelMetricsTest {

  @Test
  void batchSizesFallIntoTheirBuckets() {
    ModelMetrics metrics = new ModelMetrics("m");
    for (int size : new int[] {1, 2, 4, 5, 16, 17, 32, 33, 100}) {
      metrics.batchRan(size);
    }
    InferenceStats.ModelStats stats = metrics.snapshot();
    assertEquals(9, stats.batches());
    assertEquals(210, stats.texts());
    assertEquals(List.of("1:1", "2-4:2", "5-8:1", "9-16:1", "17-32:2", "33+:2"),
        stats.batchSizes().stream().map(b -> b.label() + ":" + b.count()).toList());
  }

  @Test
  void percentilesCoverOnlyTheRecentWindow() {
    ModelMetrics metrics = new ModelMetrics("m");
    assertEquals(new InferenceStats.Latency(0, 0, 0), metrics.snapshot().latency());
    for (int i = 0; i < LatencyWindow.CAPACITY; i++) {
      metrics.requestDone(1_000_000_000L); // an old slow period, pushed out below
    }
    for (int ms = 1; ms <= LatencyWindow.CAPACITY; ms++) {
      metrics.requestDone(ms * 1_000_000L);
    }
    InferenceStats.Latency latency = metrics.snapshot().latency();
    assertEquals(LatencyWindow.CAPACITY, latency.samples());
    assertEquals(512.0, latency.p50Millis());
    assertEquals(1014.0, latency.p99Millis());
  }
}
