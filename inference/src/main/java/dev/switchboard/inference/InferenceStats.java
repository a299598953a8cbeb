package dev.switchboard.inference;

import java.util.List;

/**
 * A snapshot of the embedding service, for metrics and {@code /admin}: cheap to take, plain values only.
 *
 * @param model the model answering now
 * @param queueDepth texts waiting for a forward pass
 * @param maxQueue the most that may wait before requests are refused
 * @param models one entry per model that ran since start, the current one included
 */
public record InferenceStats(ModelInfo model, int queueDepth, int maxQueue, List<ModelStats> models) {
  public InferenceStats {
    models = List.copyOf(models);
  }

  /**
   * What one model did.
   *
   * @param model its name
   * @param batches forward passes run
   * @param texts texts embedded
   * @param refused texts refused because the queue was full while this model was current
   * @param batchSizes how many forward passes had how many texts
   * @param latency time from request to vectors, over recent requests
   */
  public record ModelStats(String model, long batches, long texts, long refused, List<BatchSizeBucket> batchSizes,
      Latency latency) {
    public ModelStats {
      batchSizes = List.copyOf(batchSizes);
    }
  }

  /**
   * Forward passes with {@code minSize} to {@code maxSize} texts (both included).
   *
   * @param maxSize {@link Integer#MAX_VALUE} for the last, open bucket
   */
  public record BatchSizeBucket(int minSize, int maxSize, long count) {
    /** {@code 1}, {@code 2-4}, ..., {@code 33+}. */
    public String label() {
      if (maxSize == Integer.MAX_VALUE) {
        return minSize + "+";
      }
      return minSize == maxSize ? String.valueOf(minSize) : minSize + "-" + maxSize;
    }
  }

  /**
   * Request latency percentiles over the last {@code samples} requests (a bounded window).
   *
   * @param samples how many requests the percentiles are over; 0 when none ran yet (then both are 0)
   */
  public record Latency(int samples, double p50Millis, double p99Millis) {}
}
