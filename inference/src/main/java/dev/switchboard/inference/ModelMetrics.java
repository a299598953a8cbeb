package dev.switchboard.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one model, written by the workers and read by {@link EmbeddingService#stats()}. */
final class ModelMetrics {
  /** Upper bounds of the batch-size buckets: 1, 2-4, 5-8, 9-16, 17-32, 33+. */
  private static final int[] BUCKET_MAX = {1, 4, 8, 16, 32, Integer.MAX_VALUE};

  private final String model;
  private final LongAdder batches = new LongAdder();
  private final LongAdder texts = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final AtomicLongArray batchSizes = new AtomicLongArray(BUCKET_MAX.length);
  private final LatencyWindow latency = new LatencyWindow();

  ModelMetrics(String model) {
    this.model = model;
  }

  void batchRan(int size) {
    batches.increment();
    texts.add(size);
    int bucket = 0;
    while (size > BUCKET_MAX[bucket]) {
      bucket++;
    }
    batchSizes.incrementAndGet(bucket);
  }

  void requestDone(long latencyNanos) {
    latency.record(latencyNanos);
  }

  void refused(int count) {
    refused.add(count);
  }

  InferenceStats.ModelStats snapshot() {
    List<InferenceStats.BatchSizeBucket> buckets = new ArrayList<>();
    int min = 1;
    for (int i = 0; i < BUCKET_MAX.length; i++) {
      buckets.add(new InferenceStats.BatchSizeBucket(min, BUCKET_MAX[i], batchSizes.get(i)));
      min = BUCKET_MAX[i] + 1;
    }
    return new InferenceStats.ModelStats(model, batches.sum(), texts.sum(), refused.sum(), buckets,
        latency.snapshot());
  }
}
