package dev.switchboard.inference;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model with a count of its users, so a switch can close the old model as soon as, and only when, the last
 * batch running on it ends. The service holds one reference while the model is current; each batch holds one.
 */
final class SharedModel {
  final EmbeddingModel model;
  final ModelMetrics metrics;
  private final AtomicInteger references = new AtomicInteger(1);

  SharedModel(EmbeddingModel model, ModelMetrics metrics) {
    this.model = model;
    this.metrics = metrics;
  }

  /** Takes a reference; {@code false} when the model was already closed (the caller then reads the new one). */
  boolean tryAcquire() {
    while (true) {
      int n = references.get();
      if (n == 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one closes the model. */
  void release() {
    if (references.decrementAndGet() == 0) {
      model.close();
    }
  }

  ModelInfo info() {
    return new ModelInfo(model.name(), model.dimensions());
  }
}
