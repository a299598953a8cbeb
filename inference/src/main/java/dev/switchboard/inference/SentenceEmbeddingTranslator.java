package dev.switchboard.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * Texts in, unit-length sentence vectors out, with the whole list as one batch: tokenizes (padding to the
 * longest text of the batch), feeds {@code input_ids}, {@code attention_mask} and, when the model declares it,
 * {@code token_type_ids}, then pools the token vectors and normalises. Pooling runs in plain Java because
 * OnnxRuntime's NDArray supports few operations and would otherwise look for another engine.
 */
final class SentenceEmbeddingTranslator implements NoBatchifyTranslator<List<String>, float[][]> {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final String HIDDEN_STATE = "last_hidden_state";
  private static final String MASK_KEY = "attention_mask";

  private final HuggingFaceTokenizer tokenizer;
  private final Pooling pooling;
  private final boolean wantsTokenTypes;

  SentenceEmbeddingTranslator(HuggingFaceTokenizer tokenizer, Pooling pooling, boolean wantsTokenTypes) {
    this.tokenizer = tokenizer;
    this.pooling = pooling;
    this.wantsTokenTypes = wantsTokenTypes;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int batch = encodings.length;
    int tokens = encodings[0].getIds().length;
    long[] ids = new long[batch * tokens];
    long[] mask = new long[batch * tokens];
    long[] types = new long[batch * tokens];
    for (int row = 0; row < batch; row++) {
      System.arraycopy(encodings[row].getIds(), 0, ids, row * tokens, tokens);
      System.arraycopy(encodings[row].getAttentionMask(), 0, mask, row * tokens, tokens);
      System.arraycopy(encodings[row].getTypeIds(), 0, types, row * tokens, tokens);
    }
    ctx.setAttachment(MASK_KEY, mask);

    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(batch, tokens);
    NDList inputs = new NDList(named(manager.create(ids, shape), INPUT_IDS),
        named(manager.create(mask, shape), ATTENTION_MASK));
    if (wantsTokenTypes) {
      inputs.add(named(manager.create(types, shape), TOKEN_TYPE_IDS));
    }
    return inputs;
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
    NDArray hidden = outputs.get(HIDDEN_STATE) != null ? outputs.get(HIDDEN_STATE) : outputs.head();
    Shape shape = hidden.getShape();
    if (shape.dimension() != 3) {
      throw new IllegalStateException("expected token vectors [batch, tokens, width], got " + shape);
    }
    int batch = (int) shape.get(0);
    int tokens = (int) shape.get(1);
    int width = (int) shape.get(2);
    float[] flat = hidden.toFloatArray();
    long[] mask = (long[]) ctx.getAttachment(MASK_KEY);
    float[][] vectors = new float[batch][];
    for (int row = 0; row < batch; row++) {
      vectors[row] = normalize(pooling.pool(flat, row, tokens, width, mask));
    }
    return vectors;
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  /** Unit length, so that a dot product is the cosine similarity. */
  static float[] normalize(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += v * v;
    }
    double norm = Math.sqrt(sum);
    if (norm > 0) {
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) (vector[i] / norm);
      }
    }
    return vector;
  }
}
