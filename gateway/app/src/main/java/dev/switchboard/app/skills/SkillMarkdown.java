package dev.switchboard.app.skills;

import dev.switchboard.spi.SkillDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A parsed {@code SKILL.md}: YAML front matter between two {@code ---} lines, then a Markdown body.
 *
 * <pre>
 * ---
 * name: hours
 * description: Opening hours
 * commands: [hours]
 * keywords: [opening hours, open today]
 * examples: ["when are you open?"]
 * reply: We are open 9 to 5, Monday to Friday.   # optional
 * ---
 * You answer questions about our opening hours ...
 * </pre>
 *
 * @param descriptor the skill's descriptor (name defaults to the folder's name)
 * @param instructions the body: the model's instructions when an LLM is configured
 * @param fixedReply what is answered without an LLM: {@code reply}, else the body's first paragraph
 * @param ignoredFields front-matter fields Switchboard does not use (reported, not fatal)
 */
public record SkillMarkdown(SkillDescriptor descriptor, String instructions, String fixedReply,
    Set<String> ignoredFields) {
  /** Longest SKILL.md read. */
  public static final int MAX_BYTES = 64 * 1024;
  private static final Set<String> FIELDS = Set.of(
      "name", "description", "version", "commands", "keywords", "patterns", "examples", "reply");

  /** Parses the text of a SKILL.md found in folder {@code folderName}; throws with the reason when invalid. */
  public static SkillMarkdown parse(String text, String folderName) throws PluginLoadException {
    String normalized = text.replace("\r\n", "\n");
    if (normalized.startsWith("\uFEFF")) {
      normalized = normalized.substring(1);
    }
    if (!normalized.startsWith("---\n")) {
      throw new PluginLoadException("SKILL.md must start with YAML front matter between two --- lines");
    }
    int end = normalized.indexOf("\n---", 3);
    if (end < 0) {
      throw new PluginLoadException("the front matter is not closed by a --- line");
    }
    String yaml = normalized.substring(4, end + 1);
    int bodyStart = normalized.indexOf('\n', end + 4);
    String body = bodyStart < 0 ? "" : normalized.substring(bodyStart + 1).strip();

    Map<?, ?> front = readYaml(yaml);
    Set<String> ignored = new TreeSet<>();
    front.keySet().forEach(k -> {
      if (!FIELDS.contains(String.valueOf(k))) {
        ignored.add(String.valueOf(k));
      }
    });
    String name = scalar(front, "name");
    SkillDescriptor descriptor;
    try {
      descriptor = new SkillDescriptor(name == null ? folderName : name, scalar(front, "description"),
          scalar(front, "version"), list(front, "commands"), list(front, "keywords"),
          compile(list(front, "patterns")), list(front, "examples"));
    } catch (IllegalArgumentException e) {
      throw new PluginLoadException(e.getMessage());
    }
    String reply = scalar(front, "reply");
    String fixed = reply != null && !reply.isBlank() ? reply.strip() : firstParagraph(body);
    if (fixed == null) {
      throw new PluginLoadException("nothing to answer: give a reply: field or a body");
    }
    return new SkillMarkdown(descriptor, body, fixed, Set.copyOf(ignored));
  }

  private static Map<?, ?> readYaml(String yaml) throws PluginLoadException {
    Object parsed;
    try {
      parsed = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10)
          .setCodePointLimit(MAX_BYTES).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new PluginLoadException("the front matter is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new PluginLoadException("the front matter must be a YAML mapping (name: ..., description: ...)");
    }
    return map;
  }

  private static String scalar(Map<?, ?> front, String field) throws PluginLoadException {
    Object value = front.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof List) {
      throw new PluginLoadException(field + ": must be a single value");
    }
    return value.toString();
  }

  /** A list of strings; a single string counts as a list of one. */
  private static List<String> list(Map<?, ?> front, String field) throws PluginLoadException {
    Object value = front.get(field);
    if (value == null) {
      return List.of();
    }
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    List<String> result = new ArrayList<>();
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw new PluginLoadException(field + ": must be a list of strings");
      }
      result.add(item.toString());
    }
    return result;
  }

  private static List<java.util.regex.Pattern> compile(List<String> regexes) throws PluginLoadException {
    List<java.util.regex.Pattern> patterns = new ArrayList<>();
    for (String regex : regexes) {
      try {
        patterns.add(java.util.regex.Pattern.compile(regex,
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE));
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new PluginLoadException("patterns: not a regular expression: " + firstLine(e.getMessage()));
      }
    }
    return patterns;
  }

  /** The first block of text that is not a heading, joined into one line; {@code null} if none. */
  static String firstParagraph(String body) {
    StringBuilder paragraph = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        if (paragraph.length() > 0) {
          break;
        }
        continue;
      }
      if (paragraph.length() > 0) {
        paragraph.append(' ');
      }
      paragraph.append(stripped);
    }
    return paragraph.length() == 0 ? null : paragraph.toString();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
