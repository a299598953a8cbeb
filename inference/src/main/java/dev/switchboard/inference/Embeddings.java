package dev.switchboard.inference;

import java.util.List;

/**
 * The vectors of one request, all made by the same model, in the order of its texts. Vectors of different models
 * do not compare (two models may even have the same dimensions), so the model travels with them.
 *
 * @param model the model's name
 * @param dimensions the length of each vector
 * @param vectors one unit-length vector per text
 */
public record Embeddings(String model, int dimensions, List<float[]> vectors) {
  public Embeddings {
    vectors = List.copyOf(vectors);
  }
}
