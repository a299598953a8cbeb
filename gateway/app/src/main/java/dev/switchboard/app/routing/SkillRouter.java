package dev.switchboard.app.routing;

import dev.switchboard.app.session.Session;
import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Picks the skill for a message, in this order:
 * <ol>
 *   <li>{@code command}: a command a skill owns ({@code /todo ...});
 *   <li>{@code active}: the skill that asked this conversation a question and waits for the answer;
 *   <li>{@code keyword}: the highest {@link dev.switchboard.spi.Skill#match} above zero (keywords, regexes);
 *       ties go to the skill whose name sorts first;
 *   <li>{@code semantic}: the skill whose example utterances are closest in meaning, above a threshold;
 *   <li>{@code fallback}: the fallback skill (also for unknown commands).
 * </ol>
 * A skill that waits for an answer keeps the conversation even when the answer contains another skill's
 * keyword; a command always wins, and lets the waiting skill go. Quarantined skills take no part in the
 * keyword and semantic steps. Routing reads the skill set once, so one decision never mixes two versions.
 */
public final class SkillRouter {
  /** The skill that answers what nothing else took. */
  public static final String FALLBACK = "chat";

  /** A routing decision. */
  public record Decision(LoadedSkill skill, RouteRecord record, SkillRegistry registry) {}

  private final Supplier<SkillRegistry> skills;
  private final SemanticMatcher semantic;

  /** @param skills the skill set to route on now (read once per message) */
  public SkillRouter(Supplier<SkillRegistry> skills, SemanticMatcher semantic) {
    this.skills = skills;
    this.semantic = semantic;
    if (skills.get().byName(FALLBACK) == null) {
      throw new IllegalStateException("no skill named " + FALLBACK + " is loaded");
    }
  }

  public Future<Decision> route(Envelope envelope, Session session) {
    SkillRegistry registry = skills.get();
    Content.Command command = envelope.command();
    if (command != null) {
      LoadedSkill owner = registry.byCommand(command.name());
      return Future.succeededFuture(owner != null ? decision(registry, owner, "command", null) : fallback(registry));
    }
    LoadedSkill active = registry.byName(session.activeSkill());
    if (active != null) {
      return Future.succeededFuture(decision(registry, active, "active", null));
    }
    List<LoadedSkill> candidates = new ArrayList<>();
    LoadedSkill best = null;
    double bestScore = 0;
    for (LoadedSkill candidate : registry.skills()) { // sorted by name: the first of equal scores wins
      if (candidate.health().quarantined() || FALLBACK.equals(candidate.name())) {
        continue;
      }
      candidates.add(candidate);
      double score = safeMatch(candidate, envelope);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best != null) {
      return Future.succeededFuture(decision(registry, best, "keyword", bestScore));
    }
    return semantic.bestMatch(envelope, candidates)
        .otherwise((SemanticMatcher.Match) null)
        .map(match -> {
          LoadedSkill matched = match == null ? null : registry.byName(match.skill());
          return matched != null ? decision(registry, matched, "semantic", match.score()) : fallback(registry);
        });
  }

  private static Decision fallback(SkillRegistry registry) {
    return decision(registry, registry.byName(FALLBACK), "fallback", null);
  }

  private static Decision decision(SkillRegistry registry, LoadedSkill skill, String reason, Double score) {
    return new Decision(skill, new RouteRecord(skill.name(), reason, score), registry);
  }

  private static double safeMatch(LoadedSkill candidate, Envelope envelope) {
    try {
      double score = candidate.skill().match(envelope);
      return Double.isFinite(score) ? Math.min(score, 1.0) : 0;
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
        throw e;
      }
      return 0; // a skill whose match throws (a plugin may throw anything) simply does not match
    }
  }
}
