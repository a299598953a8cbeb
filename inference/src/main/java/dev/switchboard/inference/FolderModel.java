package dev.switchboard.inference;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model in a local folder: {@code model.onnx} and {@code tokenizer.json}. Mean pooling unless the folder says
 * otherwise, in a file {@code pooling} holding {@code cls} or {@code mean}, or in sentence-transformers'
 * {@code 1_Pooling/config.json} (as a folder downloaded from the Hugging Face hub has).
 */
record FolderModel(Path folder, Pooling pooling, int maxTokens) implements ModelSource {
  static final String ONNX = "model.onnx";
  static final String TOKENIZER = "tokenizer.json";
  static final String POOLING_HINT = "pooling";
  static final String SENTENCE_TRANSFORMERS_POOLING = "1_Pooling/config.json";
  private static final int DEFAULT_MAX_TOKENS = 512;

  static FolderModel of(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    for (String required : new String[] {ONNX, TOKENIZER}) {
      if (!Files.isRegularFile(absolute.resolve(required))) {
        throw new IllegalArgumentException("model folder " + absolute + " has no " + required);
      }
    }
    return new FolderModel(absolute, poolingOf(absolute), maxTokensOf(absolute));
  }

  private static Pooling poolingOf(Path folder) {
    try {
      Path hint = folder.resolve(POOLING_HINT);
      if (Files.isRegularFile(hint)) {
        return Pooling.parse(Files.readString(hint));
      }
      Path config = folder.resolve(SENTENCE_TRANSFORMERS_POOLING);
      if (Files.isRegularFile(config)
          && new JsonObject(Files.readString(config)).getBoolean("pooling_mode_cls_token", false)) {
        return Pooling.CLS;
      }
      return Pooling.MEAN;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pooling hint in " + folder, e);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(SENTENCE_TRANSFORMERS_POOLING + " in " + folder + " is not JSON", e);
    }
  }

  /** What {@code tokenizer.json} truncates to, if it says; else 512, what BERT-sized models read. */
  private static int maxTokensOf(Path folder) {
    try {
      JsonObject truncation = new JsonObject(Files.readString(folder.resolve(TOKENIZER))).getJsonObject("truncation");
      return truncation != null ? truncation.getInteger("max_length", DEFAULT_MAX_TOKENS) : DEFAULT_MAX_TOKENS;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOKENIZER + " in " + folder, e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(TOKENIZER + " in " + folder + " is not a tokenizer's JSON", e);
    }
  }

  /** The folder's path: two folders are two models, even with the same files. */
  @Override
  public String modelName() {
    return folder.toString();
  }

  @Override
  public InputStream openOnnx() throws IOException {
    return Files.newInputStream(folder.resolve(ONNX));
  }

  @Override
  public InputStream openTokenizer() throws IOException {
    return Files.newInputStream(folder.resolve(TOKENIZER));
  }

  @Override
  public Optional<Path> onnxFile() {
    return Optional.of(folder.resolve(ONNX));
  }
}
