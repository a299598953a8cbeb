package dev.switchboard.app.pipeline;

import dev.switchboard.app.session.SessionStore;
import dev.switchboard.channels.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Erases one conversation everywhere: its messages, replies and session in PostgreSQL (one transaction), its
 * session in Redis and in the memory of every node (told through PostgreSQL's NOTIFY when the transaction
 * commits). A conversation with a message still being handled is not erased (409): its turn would write
 * again what was erased.
 */
final class ConversationEraser {
  static final String CHANNEL = "switchboard_erased";

  private final Pool pg;
  private final SessionStore sessions;

  ConversationEraser(Pool pg, SessionStore sessions) {
    this.pg = pg;
    this.sessions = sessions;
  }

  /** Run on the pipeline's context (the session store's). Answers what was removed. */
  Future<JsonObject> erase(String conversation) {
    Tuple key = Tuple.of(conversation);
    return pg.withTransaction(sql -> sql.preparedQuery(
            "SELECT count(*) FROM inbound_messages WHERE conversation = $1 AND status = 'accepted'").execute(key)
        .compose(pending -> pending.iterator().next().getLong(0) > 0
            ? Future.failedFuture(ApiError.of(409, "conversation_busy",
                "a message of this conversation is being handled; try again in a moment"))
            : Future.succeededFuture())
        .compose(v -> sql.preparedQuery("DELETE FROM outbox WHERE conversation = $1").execute(key))
        .compose(replies -> sql.preparedQuery("DELETE FROM inbound_messages WHERE conversation = $1").execute(key)
            .compose(messages -> sql.preparedQuery("DELETE FROM sessions WHERE conversation = $1").execute(key)
                .compose(session -> sql.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)").execute(key)
                    .map(n -> new JsonObject().put("conversation", conversation)
                        .put("messages", messages.rowCount()).put("replies", replies.rowCount())
                        .put("sessions", session.rowCount()))))))
        .compose(erased -> sessions.evict(conversation).map(erased));
  }
}
