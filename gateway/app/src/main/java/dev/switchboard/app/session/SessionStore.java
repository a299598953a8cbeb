package dev.switchboard.app.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions: PostgreSQL holds the durable copy, Redis a hot copy with a TTL. Reads try Redis first; writes go
 * to PostgreSQL with the rest of the turn ({@code complete_turn}, checked against the version read, so two
 * nodes cannot both write on the same version), then to Redis. A stale Redis copy shows up as a version conflict at save, after
 * which the caller evicts it and reads PostgreSQL. When Redis is down, sessions still work from PostgreSQL.
 */
public final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
  private static final String KEY_PREFIX = "sb:session:";
  private static final String SELECT = "SELECT version, active_skill, state FROM sessions WHERE conversation = $1";

  private static final long REDIS_TIMEOUT_MS = 1000;

  private final Pool pg;
  private final RedisAPI redis;
  private final String ttlMillis;

  public SessionStore(Pool pg, RedisAPI redis, Duration ttl) {
    this.pg = pg;
    this.redis = redis;
    this.ttlMillis = Long.toString(ttl.toMillis());
  }

  /** The conversation's session: from Redis, else PostgreSQL, else a fresh one. */
  public Future<Session> load(String conversation) {
    return redis.get(KEY_PREFIX + conversation)
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(value -> value == null ? null : Session.fromJson(conversation, new JsonObject(value.toBuffer())))
        .recover(e -> {
          LOG.warn("Redis read failed, reading the session from PostgreSQL: {}", e.getMessage());
          return Future.succeededFuture(null);
        })
        .compose(hot -> hot != null ? Future.succeededFuture(hot) : loadDurable(conversation));
  }

  private Future<Session> loadDurable(String conversation) {
    return pg.preparedQuery(SELECT).execute(Tuple.of(conversation)).map(rows -> {
      if (rows.size() == 0) {
        return Session.fresh(conversation);
      }
      Row row = rows.iterator().next();
      return new Session(conversation, row.getLong("version"), row.getString("active_skill"),
          row.getJsonObject("state"));
    });
  }

  /** Puts a committed session into Redis. Best effort: PostgreSQL already has it. */
  public Future<Void> cache(Session session) {
    return redis.set(List.of(KEY_PREFIX + session.conversation(), session.toJson().encode(), "PX", ttlMillis))
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.debug("Redis write failed: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Drops the Redis copy, so the next load reads PostgreSQL. */
  public Future<Void> evict(String conversation) {
    return redis.del(List.of(KEY_PREFIX + conversation))
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }
}
