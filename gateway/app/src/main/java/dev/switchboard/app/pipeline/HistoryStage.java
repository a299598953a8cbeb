package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.StorableJson;
import dev.switchboard.app.session.Session;
import dev.switchboard.spi.Reply;
import java.util.stream.Collectors;

/**
 * Remember: keeps the exchange in the session for a language model's context, when one is configured. The skills'
 * own state comes first: an exchange that would grow the session beyond its limit is not kept.
 */
final class HistoryStage {
  private final HistoryLimits limits;

  HistoryStage(HistoryLimits limits) {
    this.limits = limits;
  }

  TurnOutcome apply(TurnOutcome outcome) {
    if (limits.turns() == 0 || outcome.replies().isEmpty()) {
      return outcome;
    }
    String answered = outcome.replies().stream().map(Reply::text).collect(Collectors.joining("\n"));
    Session next = outcome.next().withExchange(StorableJson.clean(outcome.turn().envelope().text()), answered,
        limits.turns(), limits.chars());
    return next.skillStates().toBuffer().length() > Session.MAX_BYTES ? outcome : outcome.withNext(next);
  }
}
