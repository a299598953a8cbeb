package dev.switchboard.app.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings the schema up to date at start-up: each file of {@link #SCRIPTS} runs once, in order, inside one
 * transaction that holds an advisory lock, so several nodes starting together migrate once.
 *
 * <p>Hand-written rather than Flyway or Liquibase: both need a JDBC driver and a blocking connection, and the
 * gateway talks to PostgreSQL only through the reactive client.
 */
public final class Migrations {
  /** Schema scripts under {@code /db}, applied in this order. Append; never edit an applied one. */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__complete_turn.sql", "V3__skipped.sql",
      "V4__delivery_hold.sql", "V5__platform_status.sql", "V6__outbox_claimed_by.sql", "V7__shards.sql",
      "V8__conversation_order.sql");
  private static final long LOCK_KEY = 0x5377_6974_6368L; // any constant shared by all nodes

  private Migrations() {}

  /** Applies what is missing; answers how many scripts ran. */
  public static Future<Integer> apply(Pool pool) {
    return pool.withTransaction(conn -> conn
        .query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
        .compose(v -> conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute())
        .compose(exists -> exists.iterator().next().getBoolean(0) ? Future.succeededFuture()
            : conn.query("CREATE TABLE schema_migrations ("
                + "version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT version FROM schema_migrations").execute())
        .compose(rows -> {
          Set<String> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getString(0));
          }
          return applyMissing(conn, applied);
        }));
  }

  private static Future<Integer> applyMissing(SqlConnection conn, Set<String> applied) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String script : SCRIPTS) {
      if (applied.contains(script)) {
        continue;
      }
      chain = chain.compose(count -> conn.query(read(script)).execute()
          .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version) VALUES ($1)")
              .execute(Tuple.of(script)))
          .map(v -> count + 1));
    }
    return chain;
  }

  private static String read(String script) {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/" + script)) {
      if (in == null) {
        throw new IllegalStateException("migration script /db/" + script + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
