package dev.switchboard.app.pipeline;

import dev.switchboard.channels.ReplyJson;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits turns in PostgreSQL, several in one statement and one transaction ({@code complete_turns}): for each,
 * the new session, the message's outcome and its replies in the outbox, all or nothing, and only while its
 * shard's fence still holds the turn's token.
 */
final class TurnStore {
  private static final String COMPLETE_TURNS = "SELECT o_seq, o_outcome FROM complete_turns($1::jsonb)";

  private final Pool pg;

  TurnStore(Pool pg) {
    this.pg = pg;
  }

  /** Commits the turns (at most one per conversation); answers each one's result, in order. */
  Future<List<CommitResult>> commitAll(List<TurnOutcome> outcomes) {
    JsonArray turns = new JsonArray();
    outcomes.forEach(outcome -> turns.add(toJson(outcome)));
    return pg.preparedQuery(COMPLETE_TURNS).execute(Tuple.of(turns)).map(rows -> {
      // one row per turn, in the order given (the function answers each turn as it goes)
      List<CommitResult> results = new ArrayList<>(outcomes.size());
      for (Row row : rows) {
        long expected = outcomes.get(results.size()).turn().message().seq();
        if (row.getLong(0) != expected) {
          throw new IllegalStateException("commit answered message " + row.getLong(0) + " for " + expected);
        }
        results.add(CommitResult.of(row.getString(1)));
      }
      return results;
    });
  }

  private static JsonObject toJson(TurnOutcome outcome) {
    var message = outcome.turn().message();
    JsonArray replies = new JsonArray();
    for (Reply reply : outcome.replies()) {
      JsonObject json = ReplyJson.toJson(reply);
      if (outcome.visibleToAll()) {
        json.put(ReplyJson.VISIBLE_TO_ALL, true);
      }
      replies.add(json);
    }
    return new JsonObject()
        .put("seq", message.seq())
        .put("token", outcome.turn().owned().fence())
        .put("conversation", outcome.next().conversation())
        .put("version", outcome.next().version())
        .put("active_skill", outcome.next().activeSkill())
        .put("state", outcome.next().skillStates())
        .put("status", outcome.status())
        .put("route", outcome.route() == null ? null : outcome.route().toJson())
        .put("error", outcome.error())
        .put("channel", message.envelope().channel().value())
        .put("reply_address", message.replyAddress())
        .put("reply_status", message.delivery().needsDelivery() ? "pending" : "delivered")
        .put("replies", replies)
        .put("hold_ms", message.delivery().hold().toMillis());
  }
}
