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
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;

/** The inbound log in PostgreSQL: every message received, deduplicated per channel and id. */
public final class InboundStore {
  private static final String INSERT_MANY = "INSERT INTO inbound_messages "
      + "(channel, message_id, conversation, envelope, reply_address, received_at) "
      + "SELECT c, m, conv, e::jsonb, r::jsonb, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
      + "$5::text[], $6::timestamptz[]) WITH ORDINALITY AS u(c, m, conv, e, r, t, n) ORDER BY n "
      + "ON CONFLICT (channel, message_id) DO NOTHING RETURNING channel, message_id";
  private static final String INSERT_SKIPPED = "INSERT INTO inbound_messages "
      + "(channel, message_id, conversation, envelope, reply_address, status, error, received_at, completed_at) "
      + "VALUES ($1, $2, $1 || ':-', $3, '{}', 'skipped', $4, now(), now()) "
      + "ON CONFLICT (channel, message_id) DO NOTHING RETURNING seq";
  private static final String NEXT_PENDING = "SELECT seq, envelope, reply_address FROM inbound_messages "
      + "WHERE conversation = $1 AND status = 'accepted' ORDER BY seq LIMIT 1";
  private static final String PENDING_CONVERSATIONS = "SELECT conversation FROM inbound_messages "
      + "WHERE status = 'accepted' AND received_at < now() - $1 * interval '1 millisecond' "
      + "GROUP BY conversation ORDER BY min(seq) LIMIT $2";
  private static final String REPORT = "SELECT i.message_id, i.channel, i.conversation, i.status, i.route, i.error, "
      + "i.received_at, (SELECT COALESCE(json_agg(o.reply ORDER BY o.position), '[]'::json) "
      + "FROM outbox o WHERE o.inbound_seq = i.seq) AS replies "
      + "FROM inbound_messages i WHERE i.channel = $1 AND i.message_id = $2";

  private final Pool pg;

  public InboundStore(Pool pg) {
    this.pg = pg;
  }

  /** A message to record, and what its channel needs to reply. */
  public record NewMessage(Envelope envelope, JsonObject replyAddress) {
    /** Channel and id: what makes a message a duplicate. */
    public String key() {
      return envelope.channel().value() + "\u0000" + envelope.id().value();
    }
  }

  /**
   * Records several messages in one statement (one commit). Answers the {@link NewMessage#key() keys} that were
   * new; the others were recorded before, or earlier in the same list.
   */
  public Future<Set<String>> appendAll(List<NewMessage> messages) {
    int n = messages.size();
    String[] channels = new String[n];
    String[] ids = new String[n];
    String[] conversations = new String[n];
    String[] envelopes = new String[n];
    String[] addresses = new String[n];
    OffsetDateTime[] received = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Envelope e = messages.get(i).envelope();
      channels[i] = e.channel().value();
      ids[i] = e.id().value();
      conversations[i] = e.conversation().asString();
      envelopes[i] = StorableJson.clean(EnvelopeCodec.encode(e)).encode();
      addresses[i] = StorableJson.clean(messages.get(i).replyAddress()).encode();
      received[i] = e.receivedAt().atOffset(ZoneOffset.UTC);
    }
    return pg.preparedQuery(INSERT_MANY)
        .execute(Tuple.of(channels, ids, conversations, envelopes, addresses, received))
        .map(rows -> {
          Set<String> inserted = new HashSet<>();
          rows.forEach(row -> inserted.add(row.getString(0) + "\u0000" + row.getString(1)));
          return inserted;
        });
  }

  /** Records a payload that is acknowledged but not handled; answers {@code false} for a duplicate. */
  public Future<Boolean> appendSkipped(ChannelId channel, MessageId id, JsonObject raw, String reason) {
    return pg.preparedQuery(INSERT_SKIPPED)
        .execute(Tuple.of(channel.value(), id.value(), StorableJson.clean(new JsonObject().put("skipped", raw)),
            StorableJson.clean(reason)))
        .map(rows -> rows.size() == 1);
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

  /** Conversations with messages recorded more than {@code olderThan} ago and still unhandled, oldest first. */
  public Future<List<String>> conversationsWithPendingWork(Duration olderThan, int limit) {
    return pg.preparedQuery(PENDING_CONVERSATIONS)
        .execute(Tuple.of(olderThan.toMillis(), limit))
        .map(rows -> {
          List<String> result = new ArrayList<>();
          rows.forEach(row -> result.add(row.getString(0)));
          return result;
        });
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
      boolean visibleToAll = false;
      for (int i = 0; i < array.size(); i++) {
        replies.add(ReplyJson.fromJson(array.getJsonObject(i)));
        visibleToAll |= array.getJsonObject(i).getBoolean(ReplyJson.VISIBLE_TO_ALL, false);
      }
      String conversation = row.getString("conversation");
      return new MessageReport(id, new ConversationKey(channel, conversation.substring(channel.value().length() + 1)),
          row.getString("status"), replies, RouteRecord.fromJson(row.getJsonObject("route")),
          row.getString("error"), row.getOffsetDateTime("received_at").toInstant(), visibleToAll);
    });
  }
}
