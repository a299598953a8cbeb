package dev.switchboard.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a model folder says about itself, read without loading the model. */
class FolderModelTest {

  @Test
  void meanPoolingAnd512TokensUnlessTheFolderSaysOtherwise(@TempDir Path folder) throws Exception {
    modelFiles(folder, "{}");
    FolderModel model = FolderModel.of(folder);
    assertEquals(Pooling.MEAN, model.pooling());
    assertEquals(512, model.maxTokens());
    assertEquals(folder.toAbsolutePath().normalize().toString(), model.modelName());
  }

  @Test
  void poolingHintFile(@TempDir Path folder) throws Exception {
    modelFiles(folder, "{\"truncation\": {\"max_length\": 128}}");
    Files.writeString(folder.resolve("pooling"), " CLS\n");
    FolderModel model = FolderModel.of(folder);
    assertEquals(Pooling.CLS, model.pooling());
    assertEquals(128, model.maxTokens());
  }

  @Test
  void sentenceTransformersPoolingConfig(@TempDir Path folder) throws Exception {
    modelFiles(folder, "{}");
    Files.createDirectories(folder.resolve("1_Pooling"));
    Files.writeString(folder.resolve("1_Pooling/config.json"),
        "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
    assertEquals(Pooling.CLS, FolderModel.of(folder).pooling());
  }

  @Test
  void incompleteFoldersAndBadHintsAreBadArguments(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("model.onnx"), "");
    assertThrows(IllegalArgumentException.class, () -> ModelSource.resolve(folder.toString()));
    Files.writeString(folder.resolve("tokenizer.json"), "{}");
    Files.writeString(folder.resolve("pooling"), "max");
    assertThrows(IllegalArgumentException.class, () -> ModelSource.resolve(folder.toString()));
    assertThrows(IllegalArgumentException.class, () -> ModelSource.resolve(folder.resolve("nothing").toString()));
  }

  @Test
  void bundledNamesWinAndIgnoreCase() {
    assertEquals(BundledModel.BGE_SMALL_EN_V15, ModelSource.resolve(" BGE-small-en-v1.5 "));
  }

  private static void modelFiles(Path folder, String tokenizerJson) throws Exception {
    Files.writeString(folder.resolve("model.onnx"), "");
    Files.writeString(folder.resolve("tokenizer.json"), tokenizerJson);
  }
}
