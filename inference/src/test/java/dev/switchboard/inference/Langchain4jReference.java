package dev.switchboard.inference;

import ai.djl.engine.Engine;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

/**
 * langchain4j's in-process models, the reference we compare with. They share OnnxRuntime's one environment per
 * JVM with DJL, and DJL fails if it does not create it itself, so DJL's engine is started first.
 */
final class Langchain4jReference {
  private Langchain4jReference() {}

  static AllMiniLmL6V2QuantizedEmbeddingModel miniLm() {
    startDjlFirst();
    return new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  static BgeSmallEnV15QuantizedEmbeddingModel bge() {
    startDjlFirst();
    return new BgeSmallEnV15QuantizedEmbeddingModel();
  }

  private static void startDjlFirst() {
    DjlDefaults.apply();
    Engine.getEngine("OnnxRuntime");
  }
}
