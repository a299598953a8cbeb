package dev.switchboard.app.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Forgets what is older than {@code retention.days}: replies that are delivered or failed, then messages that are
 * handled and have no reply left, then sessions nobody wrote to since. A little at a time (the oldest rows
 * first, a thousand per statement), so the hot path never waits on it; messages still being handled and replies
 * still to deliver are never touched. Every node may run it: the deletes are idempotent.
 */
public final class Retention {
  private static final int BATCH = 1000;
  /** Statements per table and run: a backlog is worked off over several runs. */
  private static final int MAX_ROUNDS = 100;
  private static final String OLD_REPLIES = "DELETE FROM outbox WHERE id IN (SELECT id FROM (SELECT id, created_at, "
      + "status FROM outbox ORDER BY id LIMIT " + BATCH + ") o WHERE created_at < $1 AND status <> 'pending')";
  private static final String OLD_MESSAGES = "DELETE FROM inbound_messages WHERE seq IN (SELECT seq FROM (SELECT seq, "
      + "received_at, status FROM inbound_messages ORDER BY seq LIMIT " + BATCH + ") i WHERE received_at < $1 "
      + "AND status <> 'accepted' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inbound_seq = i.seq))";
  private static final String OLD_SESSIONS = "DELETE FROM sessions WHERE conversation IN (SELECT conversation "
      + "FROM sessions WHERE updated_at < $1 LIMIT " + BATCH + ")";

  private final Pool pg;
  private final Duration keep;

  public Retention(Pool pg, Duration keep) {
    this.pg = pg;
    this.keep = keep;
  }

  /** One run: answers how many replies, messages and sessions were removed. */
  public Future<JsonObject> prune() {
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(keep);
    JsonObject removed = new JsonObject();
    return rounds(OLD_REPLIES, cutoff, 0, 0).compose(replies -> {
      removed.put("replies", replies);
      return rounds(OLD_MESSAGES, cutoff, 0, 0);
    }).compose(messages -> {
      removed.put("messages", messages);
      return rounds(OLD_SESSIONS, cutoff, 0, 0);
    }).map(sessions -> removed.put("sessions", sessions));
  }

  private Future<Integer> rounds(String delete, OffsetDateTime cutoff, int round, int total) {
    return pg.preparedQuery(delete).execute(Tuple.of(cutoff)).compose(rows -> {
      int sum = total + rows.rowCount();
      return rows.rowCount() == BATCH && round + 1 < MAX_ROUNDS ? rounds(delete, cutoff, round + 1, sum)
          : Future.succeededFuture(sum);
    });
  }
}
