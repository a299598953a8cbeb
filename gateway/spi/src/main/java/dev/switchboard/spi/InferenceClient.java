package dev.switchboard.spi;

import java.util.List;

/**
 * What a skill may ask of the gateway's models, through {@link SkillContext#inference()}: sentence embeddings
 * from the local embedding model, and text from the language model when one is configured. Calls block (a
 * skill runs on its own thread) and are bounded: when the model's queue is full they fail at once with
 * {@link InferenceBusyException}.
 */
public interface InferenceClient {
  /** Used where no model runs: embeddings and generation both fail with {@link InferenceException}. */
  InferenceClient NONE = new InferenceClient() {
    @Override
    public String embeddingModel() {
      return null;
    }

    @Override
    public Embeddings embedding(List<String> texts) throws InferenceException {
      throw new InferenceException("no embedding model is running");
    }

    @Override
    public boolean canGenerate() {
      return false;
    }

    @Override
    public String generate(String instructions, List<ChatMessage> messages) throws InferenceException {
      throw new InferenceException("no language model is configured");
    }
  };

  /**
   * Vectors of one model.
   *
   * @param model the model that computed them; vectors of different models do not compare, even when they have
   *     the same size
   * @param vectors one unit-length vector per text, in order
   * @param matchThreshold the similarity from which this model's vectors usually mean the same thing (models
   *     differ: what is 0.5 for one is 0.75 for another)
   */
  record Embeddings(String model, List<float[]> vectors, double matchThreshold) {
    public Embeddings {
      vectors = List.copyOf(vectors);
    }
  }

  /** The embedding model's name, or {@code null} when none runs. Vectors of different models don't compare. */
  String embeddingModel();

  /**
   * Embeds texts with the current model, in one batch, and says which model: keep that with any vector you
   * cache, since the model can be switched while the gateway runs.
   *
   * @throws InferenceBusyException when the model's queue is full
   * @throws InferenceException when no model runs or it failed
   */
  Embeddings embedding(List<String> texts) throws InferenceException;

  /** The vectors of {@link #embedding}: one unit-length vector per text, in order. */
  default List<float[]> embed(List<String> texts) throws InferenceException {
    return embedding(texts).vectors();
  }

  /** {@code true} when a language model is configured, so {@link #generate} can answer. */
  boolean canGenerate();

  /**
   * Asks the language model for the next assistant message.
   *
   * @param instructions the system prompt: who the bot is and how to answer
   * @param messages the conversation so far, oldest first, ending with the person's message
   * @return the model's answer
   * @throws InferenceException when no model is configured, or it refused, failed or took too long; the
   *     message says which in words fit for the user
   */
  String generate(String instructions, List<ChatMessage> messages) throws InferenceException;

  /** Cosine similarity of two unit-length vectors of the same model, from -1 to 1. */
  static double similarity(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of different sizes: " + a.length + " and " + b.length);
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }
}
