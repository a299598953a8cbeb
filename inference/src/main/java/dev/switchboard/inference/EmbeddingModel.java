package dev.switchboard.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.switchboard.spi.InferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sentence-embedding model, loaded with DJL's OnnxRuntime engine and a HuggingFace tokenizer: texts in,
 * unit-length vectors out, one forward pass per call. Select it by name ({@value #DEFAULT_MODEL},
 * {@code bge-small-en-v1.5}: weights carried by Maven artifacts on the classpath) or by the path of a folder
 * holding {@code model.onnx} and {@code tokenizer.json}. Nothing is downloaded.
 *
 * <p>Thread-safe: DJL predictors are not, so the model keeps a pool of them, one per concurrent caller it was
 * sized for; more callers wait for a free one. Loading takes a second or so and blocks: do it off the event loop.
 */
public final class EmbeddingModel implements AutoCloseable {
  /** The model used when none is configured. */
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingModel.class);
  private static final String ENGINE = "OnnxRuntime";

  private final String name;
  private final Model model;
  private final HuggingFaceTokenizer tokenizer;
  private final BlockingQueue<Predictor<List<String>, float[][]>> predictors;
  private final int dimensions;

  private EmbeddingModel(String name, Model model, HuggingFaceTokenizer tokenizer, Pooling pooling, int parallel)
      throws InferenceException {
    this.name = name;
    this.model = model;
    this.tokenizer = tokenizer;
    boolean wantsTokenTypes = model.describeInput().keys().contains(SentenceEmbeddingTranslator.TOKEN_TYPE_IDS);
    SentenceEmbeddingTranslator translator = new SentenceEmbeddingTranslator(tokenizer, pooling, wantsTokenTypes);
    this.predictors = new ArrayBlockingQueue<>(parallel);
    for (int i = 0; i < parallel; i++) {
      predictors.add(model.newPredictor(translator));
    }
    // One real pass: checks the graph's inputs and outputs now rather than on a user's message, warms the
    // session up, and tells the width of its vectors.
    this.dimensions = embed(List.of("warm-up"))[0].length;
  }

  /** Loads a model for one caller at a time. */
  public static EmbeddingModel load(String nameOrPath) throws InferenceException {
    return load(nameOrPath, 1);
  }

  /**
   * Loads a model by name or folder path.
   *
   * @param parallel how many threads may run it at once (one DJL predictor each); the CPU's cores are shared
   *     between them, so one forward pass does not fight the others for threads
   * @throws IllegalArgumentException when it names neither a bundled model nor a model folder
   * @throws InferenceException when the files are there but do not load
   */
  public static EmbeddingModel load(String nameOrPath, int parallel) throws InferenceException {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1");
    }
    ModelSource source = ModelSource.resolve(nameOrPath);
    DjlDefaults.apply();
    long started = System.nanoTime();
    HuggingFaceTokenizer tokenizer = null;
    Model model = null;
    try {
      tokenizer = loadTokenizer(source);
      model = loadOnnx(source, parallel);
      EmbeddingModel loaded = new EmbeddingModel(source.modelName(), model, tokenizer, source.pooling(), parallel);
      LOG.info("embedding model {} loaded in {} ms: {} dimensions, {} pooling, {} predictor(s)", loaded.name,
          (System.nanoTime() - started) / 1_000_000, loaded.dimensions, source.pooling(), parallel);
      return loaded;
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      closeQuietly(model, tokenizer);
      throw new InferenceException("cannot load embedding model " + source.modelName() + ": " + e.getMessage(), e);
    } catch (InferenceException e) {
      closeQuietly(model, tokenizer);
      throw e;
    }
  }

  /** The names that select a bundled model, e.g. {@value #DEFAULT_MODEL}. */
  public static List<String> bundledModels() {
    return BundledModel.names();
  }

  private static HuggingFaceTokenizer loadTokenizer(ModelSource source) throws IOException {
    Map<String, String> options = new HashMap<>();
    options.put("padding", "true"); // to the longest text of each batch, never to a fixed length
    options.put("truncation", "true");
    options.put("maxLength", String.valueOf(source.maxTokens()));
    options.put("modelMaxLength", String.valueOf(source.maxTokens())); // DJL would cap maxLength at 512
    try (InputStream in = source.openTokenizer()) {
      return HuggingFaceTokenizer.newInstance(in, options);
    }
  }

  private static Model loadOnnx(ModelSource source, int parallel)
      throws IOException, MalformedModelException, OrtException {
    Model model = Model.newInstance(source.modelName(), Device.cpu(), ENGINE);
    Path file = source.onnxFile().orElse(null);
    Path copy = null;
    try (OrtSession.SessionOptions session = sessionOptions(parallel)) {
      if (file == null) {
        // OnnxRuntime wants a file (DJL's stream loading leaves a temp folder behind until exit): copy the bytes
        // out of the JAR, and delete them once the session has read them.
        copy = Files.createTempFile("switchboard-" + source.modelName() + "-", ".onnx");
        try (InputStream in = source.openOnnx()) {
          Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        file = copy;
      }
      model.load(file, null, Map.of("sessionOptions", session));
      return model;
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      model.close();
      throw e;
    } finally {
      if (copy != null) {
        Files.deleteIfExists(copy);
      }
    }
  }

  /**
   * The CPU's cores split between the predictors, so parallel passes do not fight over threads; and OnnxRuntime's
   * threads sleep between passes instead of spinning, since the event loops run on the same cores.
   */
  private static OrtSession.SessionOptions sessionOptions(int parallel) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / parallel));
    options.setInterOpNumThreads(1);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    return options;
  }

  /** The name it was selected by (a bundled name or the folder's absolute path). */
  public String name() {
    return name;
  }

  /** The length of its vectors. */
  public int dimensions() {
    return dimensions;
  }

  /**
   * Embeds the texts in one forward pass (padded to the longest; padding does not change any text's vector).
   *
   * @return one unit-length vector per text, in order
   * @throws InferenceException when the model fails
   */
  public float[][] embed(List<String> texts) throws InferenceException {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    Predictor<List<String>, float[][]> predictor = takePredictor();
    try {
      return predictor.predict(texts);
    } catch (TranslateException | RuntimeException e) {
      throw new InferenceException("embedding model " + name + " failed: " + e.getMessage(), e);
    } finally {
      predictors.add(predictor);
    }
  }

  private Predictor<List<String>, float[][]> takePredictor() throws InferenceException {
    try {
      return predictors.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException("interrupted while waiting for embedding model " + name, e);
    }
  }

  /** Frees the native session and tokenizer. Calls in flight must have returned. */
  @Override
  public void close() {
    predictors.forEach(Predictor::close);
    predictors.clear();
    closeQuietly(model, tokenizer);
    LOG.info("embedding model {} closed", name);
  }

  private static void closeQuietly(Model model, HuggingFaceTokenizer tokenizer) {
    if (model != null) {
      model.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return name + " (" + dimensions + " dimensions)";
  }
}
