package dev.switchboard.inference;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Texts waiting for vectors. A request is never split between models: the worker that takes it runs all of its
 * texts on the model it holds, so its vectors always compare with each other.
 */
record PendingRequest(List<String> texts, CompletableFuture<Embeddings> result, long enqueuedNanos) {
  /** Tells the workers to stop; never completed. */
  static final PendingRequest STOP = new PendingRequest(List.of(), new CompletableFuture<>(), 0);

  int size() {
    return texts.size();
  }
}
