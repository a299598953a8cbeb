package dev.switchboard.app.session;

import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.health.OutageWarning;
import dev.switchboard.app.shard.Shards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in three places: PostgreSQL holds the durable copy, written with the rest of the turn (checked against
 * the version read, so two nodes cannot both write on the same version); this node keeps the sessions of the
 * conversations it works in memory; Redis keeps a hot copy with a TTL for the node that works a conversation
 * next. Reads try memory, then Redis, then PostgreSQL. While this node holds a conversation's shard nobody else
 * can commit to it (the shard's fence), so its copy in memory is the latest; when a shard is gained or lost its
 * sessions are dropped from memory ({@link #forgetShards}). A stale Redis copy shows up as a version conflict at
 * commit, after which the caller evicts it and reads PostgreSQL. When Redis is down, sessions still work from
 * PostgreSQL.
 *
 * <p>Confined to one context (the pipeline's), except for the Redis writes, which are batched.
 */
public final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
  private static final String KEY_PREFIX = "sb:session:";
  private static final String SELECT = "SELECT version, active_skill, state FROM sessions WHERE conversation = $1";
  /** Most sessions kept in memory, and most bytes of them (as JSON); the least recently used go first. */
  static final int MAX_IN_MEMORY = 10_000;
  static final long MAX_BYTES_IN_MEMORY = 32L * 1024 * 1024;

  private static final long REDIS_TIMEOUT_MS = 1000;

  private final Pool pg;
  private final RedisAPI redis;
  private final String ttlMillis;
  /** A session kept in memory, with its size as JSON (what it costs to keep). */
  private record Held(Session session, String json) {}

  private final LinkedHashMap<String, Held> inMemory = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytesInMemory;
  private final GroupCommit<Held, Void> redisWrites;
  private final OutageWarning redisOutage = new OutageWarning(LOG, "Redis");

  public SessionStore(Vertx vertx, Pool pg, Redis redisClient, Duration ttl) {
    this.pg = pg;
    this.redis = RedisAPI.api(redisClient);
    this.ttlMillis = Long.toString(ttl.toMillis());
    this.redisWrites = new GroupCommit<>(vertx, "session copies", new GroupCommit.Limits(256, 1, 10_000),
        sessions -> writeToRedis(redisClient, sessions));
  }

  /** The conversation's session: from memory, else Redis, else PostgreSQL, else a fresh one. */
  public Future<Session> load(String conversation) {
    Held held = inMemory.get(conversation);
    if (held != null) {
      return Future.succeededFuture(held.session());
    }
    return redis.get(KEY_PREFIX + conversation)
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(value -> {
          redisOutage.answered();
          return value == null ? null : Session.fromJson(conversation, new JsonObject(value.toBuffer()));
        })
        .recover(e -> {
          redisOutage.failed(e, "sessions are read from PostgreSQL");
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

  /** Keeps a committed session in memory and puts it into Redis (best effort: PostgreSQL already has it). */
  public void committed(Session session) {
    Held held = new Held(session, session.toJson().encode());
    forget(session.conversation());
    inMemory.put(session.conversation(), held);
    bytesInMemory += held.json().length();
    Iterator<Map.Entry<String, Held>> eldest = inMemory.entrySet().iterator();
    while (inMemory.size() > MAX_IN_MEMORY || bytesInMemory > MAX_BYTES_IN_MEMORY) {
      bytesInMemory -= eldest.next().getValue().json().length();
      eldest.remove();
    }
    redisWrites.submit(held);
  }

  private void forget(String conversation) {
    Held gone = inMemory.remove(conversation);
    if (gone != null) {
      bytesInMemory -= gone.json().length();
    }
  }

  /** Drops every copy but PostgreSQL's, so the next load reads it. */
  public Future<Void> evict(String conversation) {
    forget(conversation);
    return redis.del(List.of(KEY_PREFIX + conversation))
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** Drops from memory the sessions of the shards this node gained or lost: another node may have moved them. */
  public void forgetShards(java.util.Set<Integer> shards) {
    List<String> moved = inMemory.keySet().stream().filter(c -> shards.contains(Shards.of(c))).toList();
    moved.forEach(this::forget);
  }

  private Future<List<Void>> writeToRedis(Redis client, List<Held> sessions) {
    List<Request> sets = new ArrayList<>(sessions.size());
    for (Held held : sessions) {
      sets.add(Request.cmd(Command.SET).arg(KEY_PREFIX + held.session().conversation()).arg(held.json())
          .arg("PX").arg(ttlMillis));
    }
    List<Void> done = new ArrayList<>(Collections.nCopies(sessions.size(), null));
    return client.batch(sets)
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answers -> done)
        .recover(e -> {
          LOG.debug("Redis write failed: {}", e.getMessage());
          return Future.succeededFuture(done);
        });
  }
}
