package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.tracing.Tracing;
import io.vertx.core.Future;

/**
 * One turn, as a pipeline. Admission (durable record, delivery policy, hand-off to the lane) happens before, in
 * {@link AdmitStage}; the lane then runs, for each message in order:
 *
 * <pre>
 *   own → load session → check quota ─┬─ over quota ──────────────────────────┐
 *                                     └─ moderate ─┬─ refused ────────────────┤
 *                                                  └─ route → run skill ──────┴→ remember → commit → deliver
 * </pre>
 *
 * Each stage is a small class of its own, tested without I/O; this class only puts them in order.
 */
public final class TurnPipeline {
  private final OwnStage own;
  private final SessionStage loadSession;
  private final QuotaStage checkQuota;
  private final ModerationStage moderate;
  private final RouteStage route;
  private final SkillStage runSkill;
  private final HistoryStage remember;
  private final CommitStage commit;
  private final DeliverStage deliver;
  private final Tracing tracing;

  TurnPipeline(OwnStage own, SessionStage loadSession, QuotaStage checkQuota, ModerationStage moderate,
      RouteStage route, SkillStage runSkill, HistoryStage remember, CommitStage commit, DeliverStage deliver,
      Tracing tracing) {
    this.tracing = tracing;
    this.own = own;
    this.loadSession = loadSession;
    this.checkQuota = checkQuota;
    this.moderate = moderate;
    this.route = route;
    this.runSkill = runSkill;
    this.remember = remember;
    this.commit = commit;
    this.deliver = deliver;
  }

  /** Handles one message; answers what its commit said, or {@code null} when another node owns it. */
  Future<CommitResult> handle(PendingMessage message) {
    OwnedMessage owned = own.apply(message);
    if (owned == null) {
      return Future.succeededFuture(null);
    }
    return tracing.turn(message.envelope(), () -> loadSession.apply(owned)
        .compose(this::decide)
        .map(remember::apply)
        .compose(commit::apply)
        .map(committed -> {
          deliver.apply(committed);
          return committed.result();
        }));
  }

  /** The answer to a message over quota, else the refusal of moderation, else the skill's answer. */
  private Future<TurnOutcome> decide(LoadedTurn turn) {
    return checkQuota.apply(turn).compose(overQuota -> overQuota != null
        ? Future.succeededFuture(overQuota)
        : moderate.apply(turn).compose(refused -> refused != null
            ? Future.succeededFuture(refused)
            : step(turn, "route", () -> route.apply(turn)).compose(routed ->
                step(turn, "skill " + routed.decision().skill().name(), () -> runSkill.apply(routed)))));
  }

  private <T> Future<T> step(LoadedTurn turn, String name, java.util.function.Supplier<Future<T>> step) {
    return tracing.step(turn.envelope().channel().value(), turn.envelope().id().value(), name, step);
  }
}
