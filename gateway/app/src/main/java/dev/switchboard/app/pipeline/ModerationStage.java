package dev.switchboard.app.pipeline;

import dev.switchboard.app.inference.Moderation;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moderate: a message the safety step refuses reaches no skill; the sender gets the configured reply. */
final class ModerationStage {
  private static final Logger LOG = LoggerFactory.getLogger(ModerationStage.class);

  private final Moderation moderation;

  ModerationStage(Moderation moderation) {
    this.moderation = moderation;
  }

  /** The refusal, or {@code null} when the message may go on. */
  Future<TurnOutcome> apply(LoadedTurn turn) {
    return moderation.check(turn.envelope()).map(verdict -> {
      if (verdict == null) {
        return null;
      }
      TurnLog.about(LOG.atInfo(), turn.envelope()).log("refused by moderation ({})", verdict.rule());
      return new TurnOutcome(turn, turn.session().withActiveSkill(null), MessageReport.REPLIED,
          List.of(Reply.text(moderation.settings().reply())),
          new RouteRecord("moderation", "blocked:" + verdict.rule(), verdict.score()), null, false);
    });
  }
}
