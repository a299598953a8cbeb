package dev.switchboard.app.pipeline;

import dev.switchboard.app.session.Session;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Reply;
import java.util.List;

/**
 * What a turn produced, ready to commit: the session after it, the message's status, its replies and the route.
 *
 * @param status {@link MessageReport#REPLIED} or {@link MessageReport#FAILED}
 * @param error why it failed, or {@code null}
 * @param visibleToAll the skill asked to show the replies to everyone in the conversation
 */
record TurnOutcome(LoadedTurn turn, Session next, String status, List<Reply> replies, RouteRecord route,
    String error, boolean visibleToAll) {

  TurnOutcome {
    replies = List.copyOf(replies);
  }

  TurnOutcome withNext(Session session) {
    return new TurnOutcome(turn, session, status, replies, route, error, visibleToAll);
  }

  /** What a caller waiting for the message is told. */
  MessageReport report() {
    var envelope = turn.envelope();
    return new MessageReport(envelope.id(), envelope.conversation(), status, replies, route, error,
        envelope.receivedAt(), visibleToAll);
  }

  /** The sender gets an apology; skill states stay as they were and no skill keeps the conversation. */
  static TurnOutcome apology(LoadedTurn turn, RouteRecord route, String error, String apology) {
    return new TurnOutcome(turn, turn.session().withActiveSkill(null), MessageReport.FAILED,
        List.of(Reply.text(apology)), route, error, false);
  }
}
