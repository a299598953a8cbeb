package dev.switchboard.inference;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The embedding models that ship inside Maven artifacts on the classpath, selectable by name. The artifacts are
 * langchain4j's quantized in-process models; only their resources are read (DJL runs them), so nothing is
 * downloaded at run time.
 */
enum BundledModel implements ModelSource {
  /**
   * sentence-transformers/all-MiniLM-L6-v2, quantized; 384 dimensions; mean pooling. Cut at 256 tokens, the
   * sentence-transformers limit for this model (it was trained on 128).
   */
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN, 256),
  /** BAAI/bge-small-en-v1.5, quantized; 384 dimensions; CLS pooling, as its model card and langchain4j use. */
  BGE_SMALL_EN_V15("bge-small-en-v1.5", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
      Pooling.CLS, 512);

  private final String modelName;
  private final String onnxResource;
  private final String tokenizerResource;
  private final Pooling pooling;
  private final int maxTokens;

  BundledModel(String modelName, String onnxResource, String tokenizerResource, Pooling pooling, int maxTokens) {
    this.modelName = modelName;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
    this.maxTokens = maxTokens;
  }

  /** The name to select it by, e.g. {@code all-minilm-l6-v2}. */
  @Override
  public String modelName() {
    return modelName;
  }

  /** Every bundled model's name, to list in configuration errors. */
  static List<String> names() {
    return Arrays.stream(values()).map(BundledModel::modelName).toList();
  }

  static Optional<BundledModel> byName(String name) {
    return Arrays.stream(values()).filter(m -> m.modelName.equalsIgnoreCase(name)).findFirst();
  }

  @Override
  public Pooling pooling() {
    return pooling;
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public InputStream openOnnx() throws IOException {
    return open(onnxResource);
  }

  @Override
  public InputStream openTokenizer() throws IOException {
    return open(tokenizerResource);
  }

  private static InputStream open(String resource) throws IOException {
    // Our own class loader, not the thread's: a plugin or pool thread may have another context loader.
    InputStream in = BundledModel.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new FileNotFoundException(resource + " is not on the classpath: is its carrier artifact missing?");
    }
    return in;
  }
}
