package dev.switchboard.app.routing;

import dev.switchboard.app.session.Session;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.app.skills.SkillRegistry.LoadedSkill;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;

/**
 * Picks the skill for a message, in this order:
 * <ol>
 *   <li>{@code command}: a command a skill owns ({@code /todo ...});
 *   <li>{@code active}: the skill that asked this conversation a question and waits for the answer;
 *   <li>{@code keyword}: the highest {@link dev.switchboard.spi.Skill#match} above zero; ties go to the skill
 *       whose name sorts first;
 *   <li>{@code fallback}: the fallback skill (also for unknown commands).
 * </ol>
 * A skill that waits for an answer keeps the conversation even when the answer contains another skill's
 * keyword; a command always wins, and lets the waiting skill go.
 */
public final class SkillRouter {
  /** The skill that answers what nothing else took. */
  public static final String FALLBACK = "fallback";

  /** A routing decision. */
  public record Decision(LoadedSkill skill, RouteRecord record) {}

  private final SkillRegistry registry;

  public SkillRouter(SkillRegistry registry) {
    this.registry = registry;
    if (registry.byName(FALLBACK) == null) {
      throw new IllegalStateException("no skill named " + FALLBACK + " is loaded");
    }
  }

  public Decision route(Envelope envelope, Session session) {
    Content.Command command = envelope.command();
    if (command != null) {
      LoadedSkill owner = registry.byCommand(command.name());
      return owner != null ? decision(owner, "command", null) : fallback();
    }
    LoadedSkill active = registry.byName(session.activeSkill());
    if (active != null) {
      return decision(active, "active", null);
    }
    LoadedSkill best = null;
    double bestScore = 0;
    for (LoadedSkill candidate : registry.skills()) { // sorted by name: the first of equal scores wins
      double score = safeMatch(candidate, envelope);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best != null ? decision(best, "keyword", bestScore) : fallback();
  }

  private Decision fallback() {
    return decision(registry.byName(FALLBACK), "fallback", null);
  }

  private static Decision decision(LoadedSkill skill, String reason, Double score) {
    return new Decision(skill, new RouteRecord(skill.descriptor().name(), reason, score));
  }

  private static double safeMatch(LoadedSkill candidate, Envelope envelope) {
    try {
      double score = candidate.skill().match(envelope);
      return Double.isFinite(score) ? Math.min(score, 1.0) : 0;
    } catch (RuntimeException e) {
      return 0; // a skill whose match throws simply does not match
    }
  }
}
