package dev.switchboard.app.inference;

import io.vertx.core.Future;
import java.util.List;

/** The embedding model as the gateway's own code reaches it: asynchronous, never blocking an event loop. */
public interface Embedder {
  /** Vectors of one model, one per text, in order. */
  record Embeddings(String model, List<float[]> vectors) {}

  /**
   * Embeds the texts in one request. Fails with {@link dev.switchboard.spi.InferenceBusyException} when the
   * model's queue is full and {@link dev.switchboard.spi.InferenceException} when it cannot answer.
   */
  Future<Embeddings> embed(List<String> texts);
}
