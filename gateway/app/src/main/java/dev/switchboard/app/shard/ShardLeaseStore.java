package dev.switchboard.app.shard;

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
 * Shard leases, fences and node heartbeats in PostgreSQL (schema {@code V7__shards.sql}). PostgreSQL's clock
 * decides every expiry, so nodes need not agree on time. Taking a shard ({@code take_shard}) bumps its token in
 * the lease and in the fence once the commits in flight under the old token are done (they hold the shard's
 * advisory lock shared), so every later commit with the old token is refused.
 */
final class ShardLeaseStore {
  private static final String HEARTBEAT = "WITH beat AS (INSERT INTO gateway_nodes (node, seen_at) VALUES ($1, now()) "
      + "ON CONFLICT (node) DO UPDATE SET seen_at = now()) "
      + "SELECT count(*) FROM gateway_nodes WHERE node <> $1 AND seen_at > now() - $2 * interval '1 millisecond'";
  private static final String RENEW = "UPDATE shard_leases l SET expires_at = now() + $4 * interval '1 millisecond' "
      + "FROM unnest($2::int[], $3::bigint[]) AS held(shard, token) "
      + "WHERE l.shard = held.shard AND l.token = held.token AND l.owner = $1 RETURNING l.shard";
  private static final String RELEASE = "UPDATE shard_leases SET owner = NULL, expires_at = now() "
      + "WHERE owner = $1 AND shard = ANY($2)";
  private static final String FREE = "SELECT shard FROM shard_leases "
      + "WHERE owner IS NULL OR expires_at < now() OR (owner = $1 AND NOT shard = ANY($2)) "
      + "ORDER BY random() LIMIT $3";
  private static final String TAKE = "SELECT take_shard($1, $2, $3)";

  private final Pool pg;
  private final String node;

  ShardLeaseStore(Pool pg, String node) {
    this.pg = pg;
    this.node = node;
  }

  /** Records that this node is alive; answers how many other nodes were seen within {@code window}. */
  Future<Integer> heartbeat(Duration window) {
    return pg.preparedQuery(HEARTBEAT).execute(Tuple.of(node, window.toMillis()))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Extends the leases this node holds (shard → token); answers the shards it still holds. */
  Future<List<Integer>> renew(Map<Integer, Long> held, Duration ttl) {
    Integer[] shards = held.keySet().toArray(Integer[]::new);
    Long[] tokens = new Long[shards.length];
    for (int i = 0; i < shards.length; i++) {
      tokens[i] = held.get(shards[i]);
    }
    return pg.preparedQuery(RENEW).execute(Tuple.of(node, shards, tokens, ttl.toMillis())).map(rows -> {
      List<Integer> renewed = new ArrayList<>();
      for (Row row : rows) {
        renewed.add(row.getInteger(0));
      }
      return renewed;
    });
  }

  /** Gives shards back at once, so another node may take them without waiting for expiry. */
  Future<Void> release(List<Integer> shards) {
    return pg.preparedQuery(RELEASE).execute(Tuple.of(node, (Object) shards.toArray(Integer[]::new))).mapEmpty();
  }

  /** Up to {@code limit} shards nobody holds (free, expired, or held by this node's earlier run). */
  Future<List<Integer>> free(Iterable<Integer> heldNow, int limit) {
    List<Integer> held = new ArrayList<>();
    heldNow.forEach(held::add);
    return pg.preparedQuery(FREE).execute(Tuple.of(node, held.toArray(Integer[]::new), limit)).map(rows -> {
      List<Integer> free = new ArrayList<>();
      for (Row row : rows) {
        free.add(row.getInteger(0));
      }
      return free;
    });
  }

  /** Takes one shard if nobody holds it; answers its new fencing token, or {@code null} when it was taken. */
  Future<Long> take(int shard, Duration ttl) {
    return pg.preparedQuery(TAKE).execute(Tuple.of(node, shard, ttl.toMillis()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Takes several shards, each in its own transaction, so each waits only for the commits of its own shard. */
  Future<Map<Integer, Long>> takeAll(List<Integer> shards, Duration ttl) {
    Map<Integer, Long> taken = new HashMap<>();
    List<Future<?>> attempts = new ArrayList<>();
    for (int shard : shards) {
      attempts.add(take(shard, ttl).onSuccess(token -> {
        if (token != null) {
          synchronized (taken) {
            taken.put(shard, token);
          }
        }
      }));
    }
    return Future.join(attempts).transform(ar -> Future.succeededFuture(taken));
  }
}
