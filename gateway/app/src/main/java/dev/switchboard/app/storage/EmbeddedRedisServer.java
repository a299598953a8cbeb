package dev.switchboard.app.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (shipped inside {@code com.github.codemonstur:embedded-redis}) on loopback, with
 * its data and pid file under {@code <data-dir>/redis}.
 */
public final class EmbeddedRedisServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);

  private final RedisServer server;
  private final int port;

  private EmbeddedRedisServer(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Stops a leftover server from an earlier run, then starts a new one. Blocking. */
  public static EmbeddedRedisServer start(Path dataDir) {
    Path dir = dataDir.resolve("redis").toAbsolutePath();
    Path pidFile = dir.resolve("redis.pid");
    try {
      Files.createDirectories(dir);
      Leftovers.stop(pidFile, "redis-server", Duration.ofSeconds(10));
      int port = FreePort.find();
      RedisServer server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("dir " + dir)
          .setting("pidfile " + pidFile)
          .setting("dbfilename dump.rdb")
          .setting("save 60 1")
          .setting("appendonly no")
          .setting("protected-mode yes")
          .setting("maxmemory 256mb")
          .setting("maxmemory-policy volatile-lru")
          .soutListener(line -> LOG.debug("redis: {}", line))
          .serrListener(line -> LOG.warn("redis: {}", line))
          .build();
      server.start();
      LOG.info("embedded Redis started on 127.0.0.1:{}", port);
      return new EmbeddedRedisServer(server, port);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start: " + e.getMessage(), e);
    }
  }

  /** The connection string for clients. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (it saves its data first). Blocking. */
  @Override
  public void close() {
    try {
      server.stop();
      LOG.info("embedded Redis stopped");
    } catch (IOException e) {
      LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
    }
  }
}
