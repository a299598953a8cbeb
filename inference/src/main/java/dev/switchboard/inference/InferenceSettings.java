package dev.switchboard.inference;

import java.time.Duration;
import java.util.Objects;

/**
 * How the embedding service runs.
 *
 * @param model a bundled model's name ({@code all-minilm-l6-v2}, {@code bge-small-en-v1.5}) or the path of a
 *     folder with {@code model.onnx} and {@code tokenizer.json}
 * @param maxBatchSize the most texts in one forward pass
 * @param maxBatchDelay how long a worker waits for more texts once it has one; zero: take only what is queued
 * @param maxQueue the most texts waiting for a forward pass; beyond it requests are refused at once
 * @param workers threads running forward passes, each with its own predictor; the CPU cores are split between them
 */
public record InferenceSettings(String model, int maxBatchSize, Duration maxBatchDelay, int maxQueue, int workers) {
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;
  public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ofMillis(5);
  public static final int DEFAULT_MAX_QUEUE = 1024;
  public static final int DEFAULT_WORKERS = 1;

  public InferenceSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (maxBatchSize < 1 || maxQueue < 1 || workers < 1) {
      throw new IllegalArgumentException("maxBatchSize, maxQueue and workers must be at least 1");
    }
    if (maxBatchDelay.isNegative()) {
      throw new IllegalArgumentException("maxBatchDelay must not be negative");
    }
  }

  /** {@value EmbeddingModel#DEFAULT_MODEL}, batches of up to 32 gathered for 5 ms, 1024 queued texts, 1 worker. */
  public static InferenceSettings defaults() {
    return defaults(EmbeddingModel.DEFAULT_MODEL);
  }

  /** The defaults with another model. */
  public static InferenceSettings defaults(String model) {
    return new InferenceSettings(model, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_DELAY, DEFAULT_MAX_QUEUE,
        DEFAULT_WORKERS);
  }
}
