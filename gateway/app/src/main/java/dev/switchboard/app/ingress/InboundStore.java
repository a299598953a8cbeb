package dev.switchboard.app.ingress;

import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.ReplyJson;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The inbound log in PostgreSQL: every message received, deduplicated per channel and id. */
public final class InboundStore {
  private static final String INSERT = "INSERT INTO inbound_messages "
      + "(channel, message_id, conversation, envelope, reply_address, received_at) "
      + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, message_id) DO NOTHING RETURNING seq";
  private static final String NEXT_PENDING = "SELECT seq, envelope, reply_address FROM inbound_messages "
      + "WHERE conversation = $1 AND status = 'accepted' ORDER BY seq LIMIT 1";
  private static final String PENDING_CONVERSATIONS = "SELECT DISTINCT conversation FROM inbound_messages "
      + "WHERE status = 'accepted' AND received_at < now() - $1 * interval '1 millisecond' LIMIT $2";
  private static final String COMPLETE = "UPDATE inbound_messages "
      + "SET status = $2, route = $3, error = $4, completed_at = now() WHERE seq = $1 AND status = 'accepted'";
  private static final String REPORT = "SELECT i.message_id, i.channel, i.conversation, i.status, i.route, i.error, "
      + "i.received_at, (SELECT COALESCE(json_agg(o.reply ORDER BY o.position), '[]'::json) "
      + "FROM outbox o WHERE o.inbound_seq = i.seq) AS replies "
      + "FROM inbound_messages i WHERE i.channel = $1 AND i.message_id = $2";

  private final Pool pg;

  public InboundStore(Pool pg) {
    this.pg = pg;
  }

  /** Records the message; answers {@code false} when it was recorded before (a duplicate). */
  public Future<Boolean> append(Envelope envelope, JsonObject replyAddress) {
    Tuple row = Tuple.of(envelope.channel().value(), envelope.id().value(), envelope.conversation().asString(),
        EnvelopeCodec.encode(envelope), replyAddress, envelope.receivedAt().atOffset(ZoneOffset.UTC));
    return pg.preparedQuery(INSERT).execute(row).map(rows -> rows.size() == 1);
  }

  /** The oldest unhandled message of a conversation, or {@code null}. */
  public Future<PendingMessage> nextPending(String conversation) {
    return pg.preparedQuery(NEXT_PENDING).execute(Tuple.of(conversation)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new PendingMessage(row.getLong("seq"), EnvelopeCodec.decode(row.getJsonObject("envelope")),
          row.getJsonObject("reply_address"));
    });
  }

  /** Conversations with messages recorded more than {@code olderThan} ago and still unhandled. */
  public Future<List<String>> conversationsWithPendingWork(Duration olderThan, int limit) {
    return pg.preparedQuery(PENDING_CONVERSATIONS)
        .execute(Tuple.of(olderThan.toMillis(), limit))
        .map(rows -> {
          List<String> result = new ArrayList<>();
          rows.forEach(row -> result.add(row.getString(0)));
          return result;
        });
  }

  /**
   * Marks a message handled, inside the caller's transaction. Answers {@code false} when it was already handled
   * (by another node): the caller must roll back.
   */
  public Future<Boolean> complete(SqlConnection tx, long seq, String status, RouteRecord route, String error) {
    return tx.preparedQuery(COMPLETE)
        .execute(Tuple.of(seq, status, route == null ? null : route.toJson(), error))
        .map(rows -> rows.rowCount() == 1);
  }

  /** What a caller may see of one message, or {@code null}. */
  public Future<MessageReport> report(ChannelId channel, MessageId id) {
    return pg.preparedQuery(REPORT).execute(Tuple.of(channel.value(), id.value())).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      List<Reply> replies = new ArrayList<>();
      Object raw = row.getValue("replies");
      JsonArray array = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
      for (int i = 0; i < array.size(); i++) {
        replies.add(ReplyJson.fromJson(array.getJsonObject(i)));
      }
      String conversation = row.getString("conversation");
      return new MessageReport(id, new ConversationKey(channel, conversation.substring(channel.value().length() + 1)),
          row.getString("status"), replies, RouteRecord.fromJson(row.getJsonObject("route")),
          row.getString("error"), row.getOffsetDateTime("received_at").toInstant());
    });
  }
}
