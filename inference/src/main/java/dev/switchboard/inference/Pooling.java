package dev.switchboard.inference;

import java.util.Locale;

/** How one sentence vector is made from a model's token vectors. Each model is trained for one of these. */
enum Pooling {
  /** The average of the real (unmasked) tokens' vectors: sentence-transformers models such as all-MiniLM-L6-v2. */
  MEAN {
    @Override
    float[] pool(float[] hidden, int row, int tokens, int width, long[] mask) {
      float[] sum = new float[width];
      int counted = 0;
      for (int t = 0; t < tokens; t++) {
        // Padding tokens are masked out, so a text's vector does not depend on what it was batched with.
        if (mask[row * tokens + t] == 0) {
          continue;
        }
        int offset = (row * tokens + t) * width;
        for (int i = 0; i < width; i++) {
          sum[i] += hidden[offset + i];
        }
        counted++;
      }
      for (int i = 0; i < width; i++) {
        sum[i] /= Math.max(counted, 1);
      }
      return sum;
    }
  },
  /** The first token's ({@code [CLS]}) vector: BGE models, per their model card. */
  CLS {
    @Override
    float[] pool(float[] hidden, int row, int tokens, int width, long[] mask) {
      float[] first = new float[width];
      System.arraycopy(hidden, row * tokens * width, first, 0, width);
      return first;
    }
  };

  /**
   * Pools one row of a {@code [batch, tokens, width]} tensor laid out flat.
   *
   * @param mask the attention mask, {@code [batch, tokens]} flat: 1 for real tokens, 0 for padding
   */
  abstract float[] pool(float[] hidden, int row, int tokens, int width, long[] mask);

  /** {@code mean} or {@code cls}, in any case. */
  static Pooling parse(String hint) {
    String value = hint.strip().toUpperCase(Locale.ROOT);
    try {
      return valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pooling must be 'mean' or 'cls', not '" + hint.strip() + "'");
    }
  }
}
