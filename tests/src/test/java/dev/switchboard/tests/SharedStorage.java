package dev.switchboard.tests;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * A PostgreSQL and a Redis for several gateways to share, run by the test itself (the same binaries the gateway
 * embeds), so that they outlive any node a test kills: a gateway's own embedded servers stop with it.
 * Uses the test servers instead when {@code SWITCHBOARD_TEST_POSTGRES_URL} / {@code SWITCHBOARD_TEST_REDIS_URL}
 * are set.
 */
final class SharedStorage implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Process redis;
  private final String postgresUrl;
  private final String redisUrl;

  private SharedStorage(EmbeddedPostgres postgres, Process redis, String postgresUrl, String redisUrl) {
    this.postgres = postgres;
    this.redis = redis;
    this.postgresUrl = postgresUrl;
    this.redisUrl = redisUrl;
  }

  /** Starts both servers, their files under {@code target/e2e/<name>}. */
  static SharedStorage start(String name) throws Exception {
    Path dir = Path.of(System.getProperty("switchboard.work", "target/e2e")).resolve(name).toAbsolutePath();
    GatewayProcess.deleteRecursively(dir);
    Path runtime = Files.createDirectories(dir.resolve("runtime"));
    String externalPg = System.getenv("SWITCHBOARD_TEST_POSTGRES_URL");
    String externalRedis = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    EmbeddedPostgres postgres = null;
    String postgresUrl = externalPg;
    if (externalPg == null || externalPg.isBlank()) {
      postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("postgres"))
          .setOverrideWorkingDirectory(runtime.toFile())
          .setServerConfig("max_connections", "60") // a few nodes of 7 connections each, and the test's own
          .start();
      postgresUrl = "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    }
    Process redis = null;
    String redisUrl = externalRedis;
    if (externalRedis == null || externalRedis.isBlank()) {
      File binary = ExecutableProvider.newJarResourceProvider(runtime.toFile()).get();
      int port = freePort();
      redis = new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
      awaitPong(port);
      redisUrl = "redis://127.0.0.1:" + port;
    }
    return new SharedStorage(postgres, redis, postgresUrl, redisUrl);
  }

  String postgresUrl() {
    return postgresUrl;
  }

  String redisUrl() {
    return redisUrl;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPong(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        if (new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("the shared redis-server did not answer within 20 s");
  }

  @Override
  public void close() throws Exception {
    if (redis != null) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
