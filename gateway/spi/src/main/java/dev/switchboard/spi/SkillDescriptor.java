package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a skill is and what it answers to. Read before the skill handles anything: the help text, the command
 * table and keyword routing are built from descriptors.
 *
 * @param name unique name, lower-case ({@code todo})
 * @param description one line for {@code /help}
 * @param version the skill's version, free form; left unset ({@code "0"}) in a plugin JAR, the JAR manifest's
 *     {@code Implementation-Version} is used
 * @param commands commands it owns, without the slash ({@code todo}); each command belongs to one skill
 * @param keywords words or phrases that route a message to it, matched case-insensitively as whole words
 * @param patterns regular expressions that route a message to it (found anywhere in the text)
 * @param examples sample utterances, for {@code /help} and semantic routing
 */
public record SkillDescriptor(
    String name,
    String description,
    String version,
    List<String> commands,
    List<String> keywords,
    List<Pattern> patterns,
    List<String> examples) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  public SkillDescriptor {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("skill name must match " + NAME + ": " + name);
    }
    description = description == null ? "" : description;
    version = version == null || version.isBlank() ? "0" : version;
    commands = commands.stream().map(c -> c.startsWith("/") ? c.substring(1) : c)
        .map(c -> c.toLowerCase(Locale.ROOT)).toList();
    keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT).strip()).filter(k -> !k.isEmpty()).toList();
    patterns = List.copyOf(patterns);
    examples = List.copyOf(examples);
  }

  /** Starts a descriptor for the skill called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link SkillDescriptor}. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private String version = "0";
    private final List<String> commands = new ArrayList<>();
    private final List<String> keywords = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<String> examples = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** One line for {@code /help}. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The skill's version, shown by {@code /admin/skills}. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** Commands it owns, with or without the slash. */
    public Builder commands(String... commands) {
      this.commands.addAll(List.of(commands));
      return this;
    }

    /** Words or phrases that route a message to it (whole words, any case). */
    public Builder keywords(String... keywords) {
      this.keywords.addAll(List.of(keywords));
      return this;
    }

    /** Adds regular expressions, compiled case-insensitively. */
    public Builder patterns(String... regexes) {
      for (String regex : regexes) {
        patterns.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
      }
      return this;
    }

    /** Sample utterances, for semantic routing: the more varied, the better. */
    public Builder examples(String... examples) {
      this.examples.addAll(List.of(examples));
      return this;
    }

    /** The descriptor; throws {@link IllegalArgumentException} when the name is not valid. */
    public SkillDescriptor build() {
      return new SkillDescriptor(name, description, version, commands, keywords, patterns, examples);
    }
  }
}
