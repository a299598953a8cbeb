package dev.switchboard.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bundled models, run by DJL, against each other and against langchain4j's own runtime. */
class EmbeddingModelTest {
  static final List<String> SENTENCES = List.of(
      "what's on my list",
      "show my todo list",
      "the weather is sunny",
      "Roll two dice for me, please!",
      "Remind me to buy milk and eggs tomorrow morning before work.",
      "A much longer sentence that talks about the history of telephone switchboards, the operators who ran "
          + "them, and how automatic exchanges replaced them over the course of the twentieth century.");

  private static EmbeddingModel miniLm;

  @BeforeAll
  static void load() throws Exception {
    miniLm = EmbeddingModel.load("all-minilm-l6-v2");
  }

  @AfterAll
  static void close() {
    miniLm.close();
  }

  @Test
  void vectorsAreUnitLengthWith384Dimensions() throws Exception {
    assertEquals("all-minilm-l6-v2", miniLm.name());
    assertEquals(384, miniLm.dimensions());
    assertTrue(ai.djl.util.Utils.isOfflineMode(), "DJL must never download");
    for (float[] v : miniLm.embed(SENTENCES)) {
      assertEquals(384, v.length);
      assertEquals(1.0, Vectors.norm(v), 1e-5);
    }
  }

  @Test
  void paraphrasesAreCloserThanUnrelatedSentences() throws Exception {
    float[][] v = miniLm.embed(List.of("what's on my list", "show my todo list", "the weather is sunny"));
    double paraphrase = Vectors.cosine(v[0], v[1]);
    assertTrue(paraphrase > Vectors.cosine(v[0], v[2]), "list vs weather");
    assertTrue(paraphrase > Vectors.cosine(v[1], v[2]), "todo vs weather");
  }

  /**
   * With a float model, a text's vector does not depend on what it was batched or padded with. The unquantized
   * MiniLM (a test-only carrier) shows it: the quantized ones cannot (next test).
   */
  @Test
  void batchedEqualsOneByOneDespitePadding(@TempDir Path folder) throws Exception {
    copyResource("all-minilm-l6-v2.onnx", folder.resolve("model.onnx"));
    copyResource("all-minilm-l6-v2-tokenizer.json", folder.resolve("tokenizer.json"));
    try (EmbeddingModel unquantized = EmbeddingModel.load(folder.toString())) {
      float[][] batched = unquantized.embed(SENTENCES);
      for (int i = 0; i < SENTENCES.size(); i++) {
        float[] alone = unquantized.embed(List.of(SENTENCES.get(i)))[0];
        double diff = Vectors.maxDifference(alone, batched[i]);
        assertTrue(diff < 1e-4, "sentence " + i + " differs by " + diff);
      }
    }
  }

  /**
   * The bundled models quantize activations per tensor (ONNX {@code DynamicQuantizeLinear}), so the scale, and
   * with it each vector, depends a little on the other texts of the batch: about as much as quantizing changes
   * the vector at all (cosine ~0.99 to the float model's). Same text alone gives the same vector every time.
   */
  @Test
  void quantizedModelBatchedStaysCloseToOneByOne() throws Exception {
    float[][] batched = miniLm.embed(SENTENCES);
    for (int i = 0; i < SENTENCES.size(); i++) {
      float[] alone = miniLm.embed(List.of(SENTENCES.get(i)))[0];
      double cosine = Vectors.cosine(alone, batched[i]);
      assertTrue(cosine > 0.97, "sentence " + i + ": cosine " + cosine);
      assertEquals(0, Vectors.maxDifference(alone, miniLm.embed(List.of(SENTENCES.get(i)))[0]), "repeatable");
    }
  }

  /** One text at a time, as langchain4j runs it: the same tokens and the same pass, so the same vector. */
  @Test
  void agreesWithLangchain4jInProcessModel() throws Exception {
    var reference = Langchain4jReference.miniLm();
    for (String sentence : SENTENCES) {
      float[] ours = miniLm.embed(List.of(sentence))[0];
      double cosine = Vectors.cosine(ours, reference.embed(sentence).content().vector());
      assertTrue(cosine > 0.9999, sentence + ": cosine " + cosine);
    }
  }

  @Test
  void bgeLoadsWithClsPoolingAndAgreesWithLangchain4j() throws Exception {
    var reference = Langchain4jReference.bge();
    try (EmbeddingModel bge = EmbeddingModel.load("bge-small-en-v1.5")) {
      assertEquals("bge-small-en-v1.5", bge.name());
      assertEquals(384, bge.dimensions());
      for (String sentence : SENTENCES) {
        float[] ours = bge.embed(List.of(sentence))[0];
        double cosine = Vectors.cosine(ours, reference.embed(sentence).content().vector());
        assertTrue(cosine > 0.9999, sentence + ": cosine " + cosine);
      }
    }
  }

  @Test
  void folderModelMatchesTheBundledOne(@TempDir Path folder) throws Exception {
    copyResource("all-minilm-l6-v2-q.onnx", folder.resolve("model.onnx"));
    copyResource("all-minilm-l6-v2-q-tokenizer.json", folder.resolve("tokenizer.json"));
    try (EmbeddingModel local = EmbeddingModel.load(folder.toString())) {
      assertEquals(folder.toAbsolutePath().normalize().toString(), local.name());
      float[][] ours = local.embed(SENTENCES.subList(0, 3));
      float[][] bundled = miniLm.embed(SENTENCES.subList(0, 3));
      for (int i = 0; i < ours.length; i++) {
        assertTrue(Vectors.maxDifference(ours[i], bundled[i]) < 1e-5, "sentence " + i);
      }
    }
  }

  @Test
  void folderPoolingHintSelectsClsPooling(@TempDir Path folder) throws Exception {
    copyResource("bge-small-en-v1.5-q.onnx", folder.resolve("model.onnx"));
    copyResource("bge-small-en-v1.5-q-tokenizer.json", folder.resolve("tokenizer.json"));
    Files.writeString(folder.resolve("pooling"), "cls\n");
    List<float[]> withHint = new ArrayList<>();
    try (EmbeddingModel local = EmbeddingModel.load(folder.toString())) {
      withHint.addAll(List.of(local.embed(SENTENCES.subList(0, 3))));
    }
    try (EmbeddingModel bundled = EmbeddingModel.load("bge-small-en-v1.5")) {
      float[][] expected = bundled.embed(SENTENCES.subList(0, 3));
      for (int i = 0; i < expected.length; i++) {
        assertTrue(Vectors.maxDifference(withHint.get(i), expected[i]) < 1e-5, "sentence " + i);
      }
    }
  }

  @Test
  void textsLongerThanTheModelReadsAreCut() throws Exception {
    String longText = "switchboard operators connected calls by hand ".repeat(300); // ~2000 tokens
    float[][] v = miniLm.embed(List.of(longText, "short"));
    assertEquals(1.0, Vectors.norm(v[0]), 1e-5);
  }

  @Test
  void unknownModelIsABadArgument() {
    var e = assertThrows(IllegalArgumentException.class, () -> EmbeddingModel.load("no-such-model"));
    assertTrue(e.getMessage().contains("all-minilm-l6-v2"), e.getMessage());
  }

  static void copyResource(String resource, Path target) throws Exception {
    try (InputStream in = EmbeddingModelTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
  }
}
