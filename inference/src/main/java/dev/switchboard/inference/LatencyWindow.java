package dev.switchboard.inference;

import java.util.Arrays;

/**
 * The latencies of the last {@link #CAPACITY} requests, in a ring: bounded memory, and percentiles that follow
 * the recent load rather than averaging over the whole uptime.
 */
final class LatencyWindow {
  static final int CAPACITY = 1024;

  private final long[] nanos = new long[CAPACITY];
  private long recorded;

  synchronized void record(long latencyNanos) {
    nanos[(int) (recorded % CAPACITY)] = latencyNanos;
    recorded++;
  }

  InferenceStats.Latency snapshot() {
    long[] copy;
    synchronized (this) {
      copy = Arrays.copyOf(nanos, (int) Math.min(recorded, CAPACITY));
    }
    if (copy.length == 0) {
      return new InferenceStats.Latency(0, 0, 0);
    }
    Arrays.sort(copy);
    return new InferenceStats.Latency(copy.length, millis(percentile(copy, 0.50)), millis(percentile(copy, 0.99)));
  }

  /** Nearest rank: the smallest sample with at least {@code q} of the samples at or below it. */
  private static long percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
