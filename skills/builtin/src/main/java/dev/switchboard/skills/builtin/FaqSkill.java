package dev.switchboard.skills.builtin;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.InferenceException;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers questions from a question-and-answer file ({@code skills.config.faq.file}, YAML or Markdown, see
 * {@link FaqFile}) by meaning: the question asked is embedded and compared with the file's questions, so
 * "how can I change my password" finds "How do I reset my password?". Below {@code skills.config.faq.threshold}
 * (default: the model's own match threshold) it says it does not know. The file's questions are also its routing examples, so such a
 * question reaches it without {@code /faq}. The file is read again when it changes.
 */
public final class FaqSkill implements Skill {
  private static final int EMBED_CHUNK = 64;

  private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder("faq")
      .description("Answers common questions: /faq <question>")
      .version("1.0")
      .commands("faq")
      .build();

  /** The file as last read, and its questions' vectors per embedding model. */
  private record Loaded(Path file, FileTime modified, long size, List<FaqFile.Entry> entries, String error,
      Map<String, List<float[]>> vectors) {}

  private volatile Loaded loaded;

  @Override
  public SkillDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public List<String> dynamicExamples(JsonObject config) {
    Loaded faq = load(config);
    return faq == null ? List.of() : faq.entries().stream().flatMap(e -> e.questions().stream()).toList();
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    String question = envelope.command() != null ? envelope.command().argText() : envelope.text();
    Loaded faq = load(context.config());
    if (faq == null) {
      return SkillResponse.reply("No FAQ is set up yet (skills.config.faq.file).");
    }
    if (faq.error() != null) {
      return SkillResponse.reply("The FAQ cannot be read right now. Please try again later.");
    }
    if (question.isBlank()) {
      return SkillResponse.reply("Ask me a question, for example: /faq " + firstQuestion(faq));
    }
    if (faq.entries().isEmpty()) {
      return SkillResponse.reply("The FAQ has no questions yet.");
    }
    try {
      InferenceClient inference = context.inference();
      InferenceClient.Embeddings asked = inference.embedding(List.of(question));
      List<float[]> vectors = vectors(faq, inference, asked.model());
      if (vectors == null) {
        return SkillResponse.reply("The FAQ is being prepared for a new model. Please ask again in a moment.");
      }
      double best = -1;
      FaqFile.Entry answer = null;
      int i = 0;
      for (FaqFile.Entry entry : faq.entries()) {
        for (String ignored : entry.questions()) {
          double score = InferenceClient.similarity(asked.vectors().get(0), vectors.get(i++));
          if (score > best) {
            best = score;
            answer = entry;
          }
        }
      }
      double threshold = context.config().getDouble("threshold", asked.matchThreshold());
      if (answer == null || best < threshold) {
        return SkillResponse.reply("I don't know the answer to that one, sorry. Try /help for what else I can do.");
      }
      return SkillResponse.reply(answer.answer());
    } catch (InferenceException e) {
      return SkillResponse.reply("I can't search the FAQ right now (" + e.getMessage() + "). Please try again later.");
    }
  }

  /**
   * The questions' vectors from {@code model}, embedded once per model and file version; {@code null} when the
   * model was switched while embedding them (they would not compare with the question).
   */
  private static List<float[]> vectors(Loaded faq, InferenceClient inference, String model)
      throws InferenceException {
    List<float[]> known = faq.vectors().get(model);
    if (known != null) {
      return known;
    }
    List<String> questions = faq.entries().stream().flatMap(e -> e.questions().stream()).toList();
    List<float[]> vectors = new ArrayList<>();
    for (int from = 0; from < questions.size(); from += EMBED_CHUNK) {
      InferenceClient.Embeddings chunk =
          inference.embedding(questions.subList(from, Math.min(questions.size(), from + EMBED_CHUNK)));
      if (!chunk.model().equals(model)) {
        return null;
      }
      vectors.addAll(chunk.vectors());
    }
    faq.vectors().clear(); // vectors of an older model are of no more use
    faq.vectors().put(model, List.copyOf(vectors));
    return vectors;
  }

  /** The file named in the settings, read again when its size or time changed; {@code null} when unset. */
  private synchronized Loaded load(JsonObject config) {
    String name = config.getString("file");
    if (name == null || name.isBlank()) {
      return null;
    }
    Path file = Path.of(name);
    Loaded current = loaded;
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (current != null && current.file().equals(file) && current.modified().equals(modified)
          && current.size() == size) {
        return current;
      }
      Loaded next = new Loaded(file, modified, size, FaqFile.read(file), null, new ConcurrentHashMap<>());
      loaded = next;
      return next;
    } catch (IOException e) {
      if (current == null || !file.equals(current.file()) || !String.valueOf(e.getMessage()).equals(current.error())) {
        System.getLogger("skill.faq").log(System.Logger.Level.WARNING, "cannot read FAQ " + file + ": "
            + e.getMessage()); // once per new problem, not on every look
      }
      Loaded failed = new Loaded(file, FileTime.fromMillis(0), -1, List.of(), e.getMessage(), new ConcurrentHashMap<>());
      loaded = failed;
      return failed;
    }
  }

  private static String firstQuestion(Loaded faq) {
    return faq.entries().isEmpty() ? "How do I ...?" : faq.entries().get(0).questions().get(0);
  }
}
