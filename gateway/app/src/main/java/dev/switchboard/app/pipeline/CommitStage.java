package dev.switchboard.app.pipeline;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.function.Function;

/**
 * Commit: the turn's session, outcome and replies in one atomic write, shared with concurrent turns (group
 * commit). What PostgreSQL refuses to store (a data exception) is replaced by an apology, so one odd reply
 * cannot make its conversation retry forever.
 */
final class CommitStage {
  /** A turn and what its commit answered. */
  record Committed(TurnOutcome outcome, CommitResult result) {}

  private final Function<TurnOutcome, Future<CommitResult>> commit;

  /** @param commit writes one turn (with whatever else is being committed) */
  CommitStage(Function<TurnOutcome, Future<CommitResult>> commit) {
    this.commit = commit;
  }

  Future<Committed> apply(TurnOutcome outcome) {
    return commit.apply(outcome).map(result -> new Committed(outcome, result)).recover(e -> {
      if (!isDataException(e)) {
        return Future.failedFuture(e);
      }
      TurnOutcome apology = SkillStage.failed(outcome.turn(), outcome.route(), e);
      return commit.apply(apology).map(result -> new Committed(apology, result));
    });
  }

  private static boolean isDataException(Throwable e) {
    return e instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }
}
