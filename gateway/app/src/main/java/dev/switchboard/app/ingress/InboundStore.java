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
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/** The inbound log in PostgreSQL: every message received, deduplicated per channel and id. */
public final class InboundStore {
  private static final String INSERT_MANY = "INSERT INTO inbound_messages "
      + "(channel, message_id, conversation, envelope, reply_address, received_at) "
      + "SELECT c, m, conv, e::jsonb, r::jsonb, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
      + "$5::text[], $6::timestamptz[]) WITH ORDINALITY AS u(c, m, conv, e, r, t, n) ORDER BY n "
      + "ON CONFLICT (channel, message_id) DO NOTHING RETURNING channel, message_id, seq";
  private static final String INSERT_SKIPPED = "INSERT INTO inbound_messages "
      + "(channel, message_id, conversation, envelope, reply_address, status, error, received_at, completed_at) "
      + "VALUES ($1, $2, $1 || ':-', $3, '{}', 'skipped', $4, now(), now()) "
      + "ON CONFLICT (channel, message_id) DO NOTHING RETURNING seq";
  private static final String PENDING_IN_SHARDS = "SELECT seq, envelope, reply_address, shard FROM inbound_messages "
      + "WHERE shard = ANY($1) AND status = 'accepted' AND seq >= $2 "
      + "AND received_at < now() - $3 * interval '1 millisecond' ORDER BY seq LIMIT $4";
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
      return PendingMessage.key(envelope.channel().value(), envelope.id().value());
    }
  }

  /**
   * Records several messages in one statement (one commit). Answers, for each message in order, its place in
   * the log, or {@code null} when it was recorded before (or earlier in the same list): a duplicate.
   */
  public Future<List<Long>> appendAll(List<NewMessage> messages) {
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
          Map<String, Long> inserted = new HashMap<>();
          rows.forEach(row -> inserted.put(PendingMessage.key(row.getString(0), row.getString(1)), row.getLong(2)));
          List<Long> result = new ArrayList<>(n);
          for (NewMessage m : messages) {
            // a key inserted belongs to the first message with that key in the list
            result.add(inserted.remove(m.key()));
          }
          return result;
        });
  }

  /** Records a payload that is acknowledged but not handled; answers {@code false} for a duplicate. */
  public Future<Boolean> appendSkipped(ChannelId channel, MessageId id, JsonObject raw, String reason) {
    return pg.preparedQuery(INSERT_SKIPPED)
        .execute(Tuple.of(channel.value(), id.value(), StorableJson.clean(new JsonObject().put("skipped", raw)),
            StorableJson.clean(reason)))
        .map(rows -> rows.size() == 1);
  }

  /**
   * The recovery sweep: unhandled messages of these shards from {@code fromSeq} on, recorded more than
   * {@code olderThan} ago, oldest first. Only this reads messages back; a node's own admissions reach its lanes in memory.
   */
  public Future<List<PendingMessage>> pendingInShards(int[] shards, long fromSeq, Duration olderThan, int limit,
      DeliveryPolicy.Resolver delivery) {
    Integer[] boxed = java.util.Arrays.stream(shards).boxed().toArray(Integer[]::new);
    return pg.preparedQuery(PENDING_IN_SHARDS)
        .execute(Tuple.of(boxed, fromSeq, olderThan.toMillis(), limit))
        .map(rows -> {
          List<PendingMessage> result = new ArrayList<>(rows.size());
          for (Row row : rows) {
            Envelope envelope = EnvelopeCodec.decode(row.getJsonObject("envelope"));
            JsonObject address = row.getJsonObject("reply_address");
            result.add(new PendingMessage(row.getLong("seq"), envelope, address,
                delivery.of(envelope.channel(), address), row.getInteger("shard")));
          }
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
