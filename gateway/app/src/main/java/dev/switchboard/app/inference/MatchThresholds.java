package dev.switchboard.app.inference;

import java.util.Map;

/**
 * The similarity from which each bundled model's vectors usually mean the same thing. Models spread their
 * scores differently: with MiniLM unrelated sentences score below 0.4 and paraphrases above 0.6, while BGE scores
 * unrelated chat around 0.6 to 0.7 and paraphrases above 0.8.
 */
public final class MatchThresholds {
  /** For models not listed (a folder model): MiniLM-like. */
  public static final double DEFAULT = 0.5;
  private static final Map<String, Double> BY_MODEL = Map.of(
      "all-minilm-l6-v2", 0.5,
      "bge-small-en-v1.5", 0.8);

  private MatchThresholds() {}

  public static double forModel(String model) {
    return model == null ? DEFAULT : BY_MODEL.getOrDefault(model, DEFAULT);
  }
}
