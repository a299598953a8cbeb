package dev.switchboard.app.storage;

import dev.switchboard.app.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL pool and Redis client, and the embedded servers behind them when no URLs are
 * configured. Opening it starts what is needed and brings the schema up to date.
 */
public final class Storage {
  private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
  /**
   * Few connections are enough: writes are batched (group commit), so a handful of statements in flight carry
   * hundreds of messages, and each PostgreSQL connection is a process with its own memory.
   */
  private static final int PG_POOL_SIZE = 6;
  private static final int REDIS_POOL_SIZE = 4;
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

  private final Pool pg;
  private final PgConnectOptions pgOptions;
  private final Redis redisClient;
  private final RedisAPI redis;
  private final EmbeddedPostgresServer embeddedPostgres;
  private final EmbeddedRedisServer embeddedRedis;
  private final StorageSupervisor supervisor;
  private final String description;

  private Storage(Vertx vertx, Pool pg, PgConnectOptions pgOptions, Redis redisClient,
      EmbeddedPostgresServer embeddedPostgres, EmbeddedRedisServer embeddedRedis, Duration recoveryLimit,
      String description) {
    this.pg = pg;
    this.pgOptions = pgOptions;
    this.redisClient = redisClient;
    this.redis = RedisAPI.api(redisClient);
    this.embeddedPostgres = embeddedPostgres;
    this.embeddedRedis = embeddedRedis;
    this.supervisor = new StorageSupervisor(vertx,
        Stream.<EmbeddedServer>of(embeddedPostgres, embeddedRedis).filter(Objects::nonNull).toList(), recoveryLimit);
    this.description = description;
  }

  /** Starts embedded servers as configured, connects, migrates and checks both stores answer. */
  public static Future<Storage> open(Vertx vertx, GatewayConfig.Storage config, Path dataDir) {
    // One after the other, never in parallel: a process forked while another binary is being unpacked can
    // inherit its open file and make exec fail with "Text file busy".
    Future<EmbeddedPostgresServer> postgres = config.embeddedPostgres()
        ? vertx.executeBlocking(() -> EmbeddedPostgresServer.start(dataDir), false)
        : Future.succeededFuture(null);
    Future<EmbeddedRedisServer> redis = postgres.compose(pg -> config.embeddedRedis()
        ? vertx.executeBlocking(() -> EmbeddedRedisServer.start(dataDir), false)
        : Future.succeededFuture(null));
    return redis
        .recover(failure -> stopEmbedded(vertx, null, postgres.result(), null)
            .transform(ignored -> Future.failedFuture(failure)))
        .compose(started -> {
          String pgUrl = postgres.result() != null ? postgres.result().url() : config.postgresUrl().orElseThrow();
          String redisUrl = redis.result() != null ? redis.result().url() : config.redisUrl().orElseThrow();
          PgConnectOptions pgOptions = PgConnectOptions.fromUri(pgUrl).setReconnectAttempts(2)
              .setReconnectInterval(500).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(64);
          Pool pool = PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(PG_POOL_SIZE).setMaxWaitQueueSize(4096).setName("switchboard-pg")
                  // within a request's time limit: a caller gets 503 and retries instead of waiting on
                  .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS))
              .connectingTo(pgOptions)
              .using(vertx)
              .build();
          Redis redisClient = Redis.createClient(vertx, new RedisOptions()
              .setConnectionString(redisUrl)
              .setMaxPoolSize(REDIS_POOL_SIZE)
              .setMaxPoolWaiting(4096));
          Storage storage = new Storage(vertx, pool, pgOptions, redisClient, postgres.result(), redis.result(),
              config.recoveryLimit(),
              describe(config, dataDir, pgUrl, redisUrl));
          return Migrations.apply(pool)
              .compose(applied -> {
                if (applied > 0) {
                  LOG.info("applied {} schema migration(s)", applied);
                }
                return storage.ping();
              })
              .map(ready -> {
                storage.supervisor.start();
                return storage;
              })
              .recover(failure -> storage.close(vertx).transform(ignored -> Future.failedFuture(failure)));
        });
  }

  private static String describe(GatewayConfig.Storage config, Path dataDir, String pgUrl, String redisUrl) {
    String pg = config.embeddedPostgres() ? "embedded PostgreSQL" : "PostgreSQL at " + hostPort(pgUrl);
    String redis = config.embeddedRedis() ? "embedded Redis" : "Redis at " + hostPort(redisUrl);
    String where = config.embeddedPostgres() || config.embeddedRedis() ? " (data in " + dataDir + ")" : "";
    return pg + " + " + redis + where;
  }

  /** Host and port of a URL, without user or password. */
  private static String hostPort(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  public Pool pg() {
    return pg;
  }

  public RedisAPI redis() {
    return redis;
  }

  /** The Redis client itself, for batches. */
  public Redis redisClient() {
    return redisClient;
  }

  /** How to reach PostgreSQL, for a connection of one's own (LISTEN). */
  public PgConnectOptions pgConnectOptions() {
    return pgOptions;
  }

  /** For the banner: what runs where, without credentials. */
  public String describe() {
    return description;
  }

  /** Succeeds when PostgreSQL and Redis both answer within two seconds. */
  public Future<Void> ping() {
    return Future.all(pingPostgres(), pingRedis()).mapEmpty();
  }

  /**
   * Why the node cannot recover by itself, if so (an embedded server that has not come back for minutes): the
   * liveness probe fails, so an orchestrator restarts the gateway.
   */
  public Optional<String> unrecoverable() {
    return supervisor.unrecoverable();
  }

  /** Succeeds when PostgreSQL answers within two seconds. */
  public Future<Void> pingPostgres() {
    return pg.query("SELECT 1").execute().timeout(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty().recover(e -> Future.failedFuture("PostgreSQL does not answer: " + e.getMessage()));
  }

  /** Succeeds when Redis answers within two seconds. */
  public Future<Void> pingRedis() {
    return redis.ping(List.of()).timeout(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty().recover(e -> Future.failedFuture("Redis does not answer: " + e.getMessage()));
  }

  /** Closes the clients, then stops embedded servers. */
  public Future<Void> close(Vertx vertx) {
    return pg.close()
        .eventually(redisClient::close)
        .eventually(() -> stopEmbedded(vertx, supervisor, embeddedPostgres, embeddedRedis));
  }

  private static Future<Void> stopEmbedded(Vertx vertx, StorageSupervisor supervisor, EmbeddedPostgresServer pg,
      EmbeddedRedisServer redis) {
    return vertx.executeBlocking(() -> {
      if (supervisor != null) {
        supervisor.stop(); // no restart of a server being stopped
      }
      if (pg != null) {
        pg.close();
      }
      if (redis != null) {
        redis.close();
      }
      return null;
    }, false);
  }
}
