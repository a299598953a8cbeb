package dev.switchboard.app.routing;

import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.spi.Envelope;
import io.vertx.core.Future;
import java.util.List;

/**
 * The semantic step of routing: the skill whose example utterances are closest in meaning to a message no
 * command or keyword claimed, if one is close enough.
 */
public interface SemanticMatcher {
  /** Used when no embedding model runs: never matches. */
  SemanticMatcher NONE = (envelope, candidates) -> Future.succeededFuture(null);

  /** A skill and how close it came, from 0 to 1. */
  record Match(String skill, double score) {}

  /** The best of {@code candidates} above the threshold, or {@code null}. Must not fail: no match instead. */
  Future<Match> bestMatch(Envelope envelope, List<LoadedSkill> candidates);
}
