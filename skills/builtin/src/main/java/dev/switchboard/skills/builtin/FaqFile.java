package dev.switchboard.skills.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A question-and-answer file. YAML: a list of {@code {q: ..., a: ...}} (also {@code question}/{@code answer};
 * {@code q} may list several phrasings). Markdown ({@code .md}): each heading is a question, the text under it
 * the answer.
 */
final class FaqFile {
  /** One answer and the questions it answers. */
  record Entry(List<String> questions, String answer) {}

  static final int MAX_BYTES = 1024 * 1024;
  static final int MAX_ENTRIES = 2000;

  private FaqFile() {}

  static List<Entry> read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES / 1024 + " KiB");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    List<Entry> entries = name.endsWith(".md") || name.endsWith(".markdown") ? markdown(text) : yaml(text);
    if (entries.size() > MAX_ENTRIES) {
      throw new IOException("more than " + MAX_ENTRIES + " questions");
    }
    return entries;
  }

  static List<Entry> markdown(String text) {
    List<Entry> entries = new ArrayList<>();
    String question = null;
    StringBuilder answer = new StringBuilder();
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.startsWith("#")) {
        add(entries, question, answer);
        question = stripped.replaceFirst("^#+\\s*", "");
        answer.setLength(0);
      } else if (question != null) {
        answer.append(line).append('\n');
      }
    }
    add(entries, question, answer);
    return entries;
  }

  private static void add(List<Entry> entries, String question, StringBuilder answer) {
    if (question != null && !question.isBlank() && !answer.toString().isBlank()) {
      entries.add(new Entry(List.of(question.strip()), answer.toString().strip()));
    }
  }

  static List<Entry> yaml(String text) throws IOException {
    Object parsed;
    try {
      parsed = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10)
          .build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IOException("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (parsed == null) {
      return List.of();
    }
    if (!(parsed instanceof List<?> items)) {
      throw new IOException("expected a list of {q: ..., a: ...}");
    }
    List<Entry> entries = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> map)) {
        throw new IOException("expected a list of {q: ..., a: ...}");
      }
      Object q = map.containsKey("q") ? map.get("q") : map.get("question");
      Object a = map.containsKey("a") ? map.get("a") : map.get("answer");
      List<String> questions = new ArrayList<>();
      if (q instanceof List<?> list) {
        list.forEach(x -> questions.add(String.valueOf(x).strip()));
      } else if (q != null) {
        questions.add(q.toString().strip());
      }
      questions.removeIf(String::isEmpty);
      if (questions.isEmpty() || a == null || a.toString().isBlank()) {
        throw new IOException("every entry needs a question (q) and an answer (a)");
      }
      entries.add(new Entry(List.copyOf(questions), a.toString().strip()));
    }
    return entries;
  }
}
