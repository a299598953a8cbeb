package dev.switchboard.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where a model's ONNX graph and {@code tokenizer.json} come from, and how to turn its output into vectors. */
sealed interface ModelSource permits BundledModel, FolderModel {
  /** The name reported with every vector: vectors of different names do not compare. */
  String modelName();

  Pooling pooling();

  /** The longest input in tokens; longer texts are cut. */
  int maxTokens();

  InputStream openOnnx() throws IOException;

  InputStream openTokenizer() throws IOException;

  /** A folder's ONNX file, to load without copying; empty for models that must be copied out first. */
  default Optional<Path> onnxFile() {
    return Optional.empty();
  }

  /**
   * A bundled model by name ({@code all-minilm-l6-v2}, {@code bge-small-en-v1.5}), or else a folder holding
   * {@code model.onnx} and {@code tokenizer.json}.
   *
   * @throws IllegalArgumentException when it is neither
   */
  static ModelSource resolve(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IllegalArgumentException("no model given");
    }
    var bundled = BundledModel.byName(nameOrPath.strip());
    if (bundled.isPresent()) {
      return bundled.get();
    }
    Path folder = Path.of(nameOrPath.strip());
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("unknown model '" + nameOrPath.strip() + "': neither one of "
          + BundledModel.names() + " nor a folder with model.onnx and tokenizer.json");
    }
    return FolderModel.of(folder);
  }
}
