package dev.switchboard.spi;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A skill: something the bot can do. Found by {@link java.util.ServiceLoader}, on the classpath (built-in) or
 * in a plugin JAR listed in {@code META-INF/services/dev.switchboard.spi.Skill}; it needs a public no-argument
 * constructor. One instance serves every conversation, from several threads at once: keep per-conversation
 * data in {@link SkillContext#state()}, not in fields.
 *
 * <p>The gateway routes a message to a skill in this order: an explicit command the skill owns; the skill that
 * is waiting for an answer in this conversation ({@link SkillResponse#ask}); a {@link #match} above zero
 * (highest score wins, ties go to the skill whose name sorts first); the skill whose
 * {@linkplain SkillDescriptor#examples() examples} are closest in meaning, when an embedding model runs; the
 * fallback skill.
 *
 * <p>A plugin JAR sees only this package, vertx-core and the JDK: bundle any other library it needs.
 */
public interface Skill {

  /** What this skill is and answers to. Called once, when the skill is loaded; keep it constant. */
  SkillDescriptor descriptor();

  /**
   * How well this skill fits a message no command claimed, from 0 (not at all) to 1. Runs on the event loop
   * for every such message: keep it cheap, with no I/O. The default matches the descriptor's keywords (as
   * whole words) and patterns (each cut off after {@link TimeBoundedText#DEFAULT_BUDGET_NANOS}), scoring 1.
   */
  default double match(Envelope envelope) {
    String text = envelope.text().toLowerCase(Locale.ROOT);
    SkillDescriptor d = descriptor();
    for (String keyword : d.keywords()) {
      if (containsWord(text, keyword)) {
        return 1.0;
      }
    }
    for (Pattern pattern : d.patterns()) {
      try {
        if (pattern.matcher(TimeBoundedText.of(envelope.text())).find()) {
          return 1.0;
        }
      } catch (TimeBoundedText.Expired e) {
        return 0.0; // a pattern that backtracks without end does not match, and does not hold the event loop
      }
    }
    return 0.0;
  }

  /**
   * Example utterances that come from data rather than code, such as an FAQ's questions, for semantic routing
   * (in addition to the descriptor's). Asked again every few seconds, off the event loop, with this skill's
   * configuration ({@code skills.config.<name>.*}): keep it cheap and return an equal list when nothing
   * changed. None by default.
   */
  default List<String> dynamicExamples(JsonObject config) {
    return List.of();
  }

  /**
   * Handles one message of a conversation. May block (it runs on a virtual thread on Java 21+, else on a
   * platform thread, at most 64 at once) and is cut off after the configured timeout. State written to
   * {@link SkillContext#state()} is saved only when this returns normally.
   *
   * @throws Exception any failure: the sender gets a short error reply and the conversation goes on
   */
  SkillResponse handle(Envelope envelope, SkillContext context) throws Exception;

  /** True when {@code word} stands in {@code text} as a whole word or phrase. Both lower-case. */
  static boolean containsWord(String text, String word) {
    int from = 0;
    while (true) {
      int at = text.indexOf(word, from);
      if (at < 0) {
        return false;
      }
      int end = at + word.length();
      boolean startOk = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
      boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      from = at + 1;
    }
  }
}
