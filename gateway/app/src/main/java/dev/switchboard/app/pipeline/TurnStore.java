package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.session.Session;
import dev.switchboard.channels.ReplyJson;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * Commits a turn atomically and in one round trip (the {@code complete_turn} function): the new session, the
 * message's outcome and its replies in the outbox.
 */
final class TurnStore {
  private static final String COMPLETE_TURN =
      "SELECT complete_turn($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
  private static final String SERIALIZATION_FAILURE = "40001";

  private final Pool pg;

  TurnStore(Pool pg) {
    this.pg = pg;
  }

  /**
   * Answers {@code false}, with nothing written, when another node changed the session or handled the message
   * since this turn read them.
   *
   * @param visibleToAll the skill asked to show the replies to everyone in the conversation
   * @param needsDelivery whether the replies still have to be delivered, or were delivered by being stored
   * @param hold how long delivery waits (the channel may still answer in its HTTP response)
   */
  Future<Boolean> commit(PendingMessage message, Session next, String status, RouteRecord route, String error,
      List<Reply> replies, boolean visibleToAll, boolean needsDelivery, Duration hold) {
    JsonArray replyJson = new JsonArray();
    for (Reply reply : replies) {
      JsonObject json = ReplyJson.toJson(reply);
      if (visibleToAll) {
        json.put(ReplyJson.VISIBLE_TO_ALL, true);
      }
      replyJson.add(json);
    }
    Tuple args = Tuple.tuple()
        .addString(next.conversation())
        .addLong(next.version())
        .addString(next.activeSkill())
        .addValue(next.skillStates())
        .addLong(message.seq())
        .addString(status)
        .addValue(route == null ? null : route.toJson())
        .addString(error)
        .addString(message.envelope().channel().value())
        .addValue(message.replyAddress())
        .addString(needsDelivery ? "pending" : "delivered")
        .addValue(replyJson)
        .addLong(hold.toMillis());
    return pg.preparedQuery(COMPLETE_TURN).execute(args)
        .map(rows -> rows.iterator().next().getBoolean(0))
        .recover(e -> e instanceof PgException pg && SERIALIZATION_FAILURE.equals(pg.getSqlState())
            ? Future.succeededFuture(false)
            : Future.failedFuture(e));
  }
}
