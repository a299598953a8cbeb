package dev.switchboard.app.outbox;

import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.ReplyJson;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox: one row per reply, written with the rest of the turn ({@code complete_turn}), then delivered and
 * marked.
 * Only the oldest pending reply of each conversation can be claimed, so replies go out in order. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so several nodes never deliver one row at the same
 * time, and a node that dies mid-delivery leaves its rows to be claimed again when the lease ends. The outcome
 * is recorded only by the claim that made the attempt (its attempt number is the claim token), so a late
 * answer from an expired claim cannot overwrite a newer one.
 */
public final class OutboxStore {
  /** How long a claimed row stays with its claimer before another node may take it. */
  static final Duration LEASE = Duration.ofSeconds(60);

  private static final String CLAIM = "UPDATE outbox o SET attempts = o.attempts + 1, "
      + "next_attempt_at = now() + $2 * interval '1 millisecond', claimed_by = $3 "
      + "FROM (SELECT p.id FROM outbox p WHERE p.status = 'pending' AND p.next_attempt_at <= now() "
      + "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.conversation = p.conversation AND e.status = 'pending' "
      + "AND e.id < p.id) "
      + "ORDER BY p.id LIMIT $1 FOR UPDATE SKIP LOCKED) due, inbound_messages i "
      + "WHERE o.id = due.id AND i.seq = o.inbound_seq "
      + "RETURNING o.id, o.position, o.channel, o.conversation, o.reply, o.reply_address, o.attempts, i.message_id";
  private static final String CLAIMED = " WHERE id = $1 AND attempts = $2 AND status = 'pending'";
  private static final String DELIVERED_MANY = "UPDATE outbox o SET status = 'delivered', "
      + "platform_message_id = d.platform_id, delivered_at = now(), last_error = NULL "
      + "FROM unnest($1::bigint[], $2::int[], $3::text[]) AS d(id, attempt, platform_id) "
      + "WHERE o.id = d.id AND o.attempts = d.attempt AND o.status = 'pending'";
  private static final String RETRY = "UPDATE outbox SET next_attempt_at = now() + $3 * interval '1 millisecond', "
      + "last_error = $4" + CLAIMED;
  private static final String FAILED = "UPDATE outbox SET status = 'failed', last_error = $3" + CLAIMED;

  private static final String DELIVERED_INLINE = "UPDATE outbox o SET status = 'delivered', delivered_at = now(), "
      + "platform_message_id = 'inline' FROM inbound_messages i, unnest($1::text[], $2::text[]) AS m(channel, id) "
      + "WHERE i.channel = m.channel AND i.message_id = m.id AND o.inbound_seq = i.seq AND o.status = 'pending' "
      + "AND o.attempts = 0 RETURNING i.channel, i.message_id";

  private static final String PLATFORM_STATUS = "UPDATE outbox SET platform_status = $3, "
      + "status = CASE WHEN $3 = 'failed' THEN 'failed' ELSE status END, "
      + "last_error = CASE WHEN $3 = 'failed' THEN $4 ELSE last_error END "
      + "WHERE channel = $1 AND platform_message_id = $2 AND coalesce(platform_status, '') <> 'failed' "
      + "AND (CASE $3 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END) "
      + "> (CASE platform_status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 0 END)";

  private static final String RELEASE_OWN = "UPDATE outbox SET next_attempt_at = now() "
      + "WHERE status = 'pending' AND claimed_by = $1 AND next_attempt_at > now()";

  private final Pool pg;
  private final String node;

  /** @param node this node's stable id, written on the rows it claims */
  public OutboxStore(Pool pg, String node) {
    this.pg = pg;
    this.node = node;
  }

  /**
   * Makes the rows this node had claimed before it stopped (crashed mid-delivery) due again at once. Their
   * delivery may or may not have reached the platform: they are tried again, at least once.
   */
  public Future<Integer> releaseOwnClaims() {
    return pg.preparedQuery(RELEASE_OWN).execute(Tuple.of(node)).map(rows -> rows.rowCount());
  }

  /** Claims up to {@code limit} due rows, oldest first. */
  public Future<List<Outbound>> claimDue(int limit) {
    return pg.preparedQuery(CLAIM).execute(Tuple.of(limit, interval(LEASE), node)).map(rows -> {
      List<Outbound> result = new ArrayList<>();
      for (Row row : rows) {
        ChannelId channel = new ChannelId(row.getString("channel"));
        String conversation = row.getString("conversation");
        result.add(new Outbound(row.getLong("id"),
            new ConversationKey(channel, conversation.substring(channel.value().length() + 1)),
            new MessageId(row.getString("message_id")), row.getInteger("position"),
            ReplyJson.fromJson(row.getJsonObject("reply")), row.getJsonObject("reply_address"),
            row.getInteger("attempts"), row.getJsonObject("reply").getBoolean(ReplyJson.VISIBLE_TO_ALL, false)));
      }
      result.sort(java.util.Comparator.comparingLong(Outbound::deliveryId));
      return result;
    });
  }

  /**
   * Replies waiting for delivery on all nodes, and the age of the oldest in seconds (0 when none waits). Uses the
   * pending-by-conversation index: a count over what waits, not over the table.
   */
  public Future<double[]> backlog() {
    return pg.query("SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest "
        + "FROM outbox WHERE status = 'pending'").execute().map(rows -> {
          Row row = rows.iterator().next();
          return new double[] {row.getLong("n"), row.getNumeric("oldest").doubleValue()};
        });
  }

  /** A message whose replies went out in its channel's HTTP answer. */
  public record RepliedInline(String channel, String messageId) {}

  /**
   * Marks the not yet attempted replies of several messages delivered, in one statement: they went out in the
   * channel's HTTP answer. Answers, per message in order, how many were marked.
   */
  public Future<List<Integer>> markDeliveredInline(List<RepliedInline> messages) {
    String[] channels = messages.stream().map(RepliedInline::channel).toArray(String[]::new);
    String[] ids = messages.stream().map(RepliedInline::messageId).toArray(String[]::new);
    return pg.preparedQuery(DELIVERED_INLINE).execute(Tuple.of(channels, (Object) ids)).map(rows -> {
      Map<RepliedInline, Integer> marked = new HashMap<>();
      for (Row row : rows) {
        marked.merge(new RepliedInline(row.getString(0), row.getString(1)), 1, Integer::sum);
      }
      return messages.stream().map(m -> marked.getOrDefault(m, 0)).toList();
    });
  }

  /** Moves a delivered reply's platform status forward (see {@code InboundGateway#recordDeliveryStatus}). */
  public Future<Integer> recordPlatformStatus(String channel, String platformMessageId, String status, String error) {
    return pg.preparedQuery(PLATFORM_STATUS).execute(Tuple.of(channel, platformMessageId, status, truncate(error)))
        .map(rows -> rows.rowCount());
  }

  /** A claimed reply the platform accepted, with the id it gave it. */
  public record Delivered(Outbound claimed, String platformMessageId) {}

  /** Marks replies delivered, several in one statement; answers one (empty) result per reply. */
  public Future<List<Void>> markAllDelivered(List<Delivered> delivered) {
    int n = delivered.size();
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] platformIds = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = delivered.get(i).claimed().deliveryId();
      attempts[i] = delivered.get(i).claimed().attempt();
      platformIds[i] = delivered.get(i).platformMessageId();
    }
    return pg.preparedQuery(DELIVERED_MANY).execute(Tuple.of(ids, attempts, platformIds))
        .map(rows -> new ArrayList<>(java.util.Collections.nCopies(n, (Void) null)));
  }

  public Future<Void> retryAfter(Outbound claimed, Duration delay, String error) {
    return pg.preparedQuery(RETRY)
        .execute(Tuple.of(claimed.deliveryId(), claimed.attempt(), interval(delay), truncate(error))).mapEmpty();
  }

  public Future<Void> markFailed(Outbound claimed, String error) {
    return pg.preparedQuery(FAILED).execute(Tuple.of(claimed.deliveryId(), claimed.attempt(), truncate(error)))
        .mapEmpty();
  }

  private static long interval(Duration d) {
    return d.toMillis();
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 500 ? error : error.substring(0, 500);
  }
}
