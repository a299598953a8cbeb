package dev.switchboard.spi.testkit;

import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.InferenceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * An inference client for tests: vectors you give for the texts you name, and a language model that answers
 * with a function of the instructions and messages (and records what it was asked). Texts without a vector get
 * one that matches nothing else.
 */
public final class FakeInference implements InferenceClient {
  private final Map<String, float[]> vectors = new HashMap<>();
  private final List<List<ChatMessage>> asked = new ArrayList<>();
  private BiFunction<String, List<ChatMessage>, String> model;
  private double matchThreshold = 0.5;

  /** The vector of {@code text} (normalised to length 1, as the gateway's models give them). */
  public FakeInference embedding(String text, float... vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / Math.sqrt(norm));
    }
    vectors.put(text, unit);
    return this;
  }

  /** The similarity above which the model's embeddings count as a match. */
  public FakeInference matchThreshold(double threshold) {
    this.matchThreshold = threshold;
    return this;
  }

  /** A language model answering {@code (instructions, messages) -> text}. */
  public FakeInference generating(BiFunction<String, List<ChatMessage>, String> model) {
    this.model = model;
    return this;
  }

  /** The messages the language model was asked with, call by call. */
  public List<List<ChatMessage>> asked() {
    return List.copyOf(asked);
  }

  @Override
  public String embeddingModel() {
    return vectors.isEmpty() ? null : "fake";
  }

  @Override
  public Embeddings embedding(List<String> texts) throws InferenceException {
    if (vectors.isEmpty()) {
      throw new InferenceException("no embedding model is running");
    }
    // one more dimension than any given vector: a text without a vector points there, away from all others
    int size = vectors.values().stream().mapToInt(v -> v.length).max().orElse(0) + 1;
    List<float[]> result = new ArrayList<>();
    for (String text : texts) {
      float[] vector = new float[size];
      float[] given = vectors.get(text);
      if (given == null) {
        vector[size - 1] = 1;
      } else {
        System.arraycopy(given, 0, vector, 0, given.length);
      }
      result.add(vector);
    }
    return new Embeddings("fake", result, matchThreshold);
  }

  @Override
  public boolean canGenerate() {
    return model != null;
  }

  @Override
  public String generate(String instructions, List<ChatMessage> messages) throws InferenceException {
    if (model == null) {
      throw new InferenceException("no language model is configured");
    }
    asked.add(List.copyOf(messages));
    return model.apply(instructions, messages);
  }
}
