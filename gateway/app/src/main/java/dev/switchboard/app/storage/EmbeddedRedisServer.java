package dev.switchboard.app.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} on loopback: the binary shipped inside {@code com.github.codemonstur:embedded-redis},
 * unpacked once to {@code <data-dir>/runtime}, with its data, log and pid file under {@code <data-dir>/redis}.
 * The gateway starts and stops the process itself (the library's own runner stops it from a JVM shutdown hook,
 * which would race the gateway's drain).
 */
public final class EmbeddedRedisServer implements EmbeddedServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final List<String> command;
  private final Path dir;
  private final int port;
  private final String password;
  private Process process;
  private ExitWatch exitWatch;

  private EmbeddedRedisServer(List<String> command, Path dir, int port, String password) {
    this.command = command;
    this.dir = dir;
    this.port = port;
    this.password = password;
  }

  /** Stops a leftover server from an earlier run, then starts a new one. Blocking. */
  public static EmbeddedRedisServer start(Path dataDir) {
    Path dir = dataDir.resolve("redis").toAbsolutePath().normalize();
    Path pidFile = dir.resolve("redis.pid");
    try {
      Files.createDirectories(dir);
      // redis-server rewrites its process title to host:port, so only the binary's name can be checked
      Leftovers.stop(pidFile, "redis-server", "", Duration.ofSeconds(10));
      Path runtime = Files.createDirectories(dataDir.resolve("runtime").toAbsolutePath().normalize());
      File binary = ExecutableProvider.newJarResourceProvider(runtime.toFile()).get();
      int port = FreePort.find();
      // the password goes in an owner-only file, not on the command line, where anyone on the machine could read it
      String password = Credentials.keptIn(dataDir.resolve("redis-password").toAbsolutePath().normalize());
      Path config = dir.resolve("redis.conf");
      Credentials.writeOwnerOnly(config, "requirepass " + password + "\n");
      EmbeddedRedisServer server = new EmbeddedRedisServer(List.of(binary.getAbsolutePath(), config.toString(),
          "--port", Integer.toString(port),
          "--bind", "127.0.0.1",
          "--protected-mode", "yes",
          "--daemonize", "no",
          "--dir", dir.toString(),
          "--pidfile", pidFile.toString(),
          "--logfile", dir.resolve("redis.log").toString(),
          "--dbfilename", "dump.rdb",
          "--save", "60 1",
          "--appendonly", "no",
          "--maxmemory", "256mb",
          "--maxmemory-policy", "volatile-lru"), dir, port, password);
      server.launch();
      LOG.info("embedded Redis started on 127.0.0.1:{}", port);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start: " + e.getMessage(), e);
    }
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile()))
        .start();
    exitWatch = ExitWatch.signalOnExit(process.pid(), "TERM"); // SIGTERM: it saves its data and exits
    try {
      awaitPong(process, port, password, dir);
    } catch (IOException e) {
      exitWatch.close();
      throw e;
    }
  }

  private static void awaitPong(Process process, int port, String password, Path dir) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
      }
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] answer = in.readNBytes(12); // +OK\r\n+PONG\r\n
        if (new String(answer, StandardCharsets.US_ASCII).equals("+OK\r\n+PONG\r\n")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server");
      }
    }
    process.destroyForcibly();
    throw new IOException("redis-server did not answer within " + START_TIMEOUT + "; see " + dir.resolve("redis.log"));
  }

  /** The connection string for clients. */
  public String url() {
    return "redis://:" + password + "@127.0.0.1:" + port;
  }

  @Override
  public String name() {
    return "Redis";
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void restart() throws IOException {
    FreePort.requireFree(port);
    exitWatch.close();
    launch();
  }

  /** Stops the server: SIGTERM makes it save its data and exit. Blocking. */
  @Override
  public void close() {
    exitWatch.close();
    Leftovers.stopProcess(process.toHandle(), Duration.ofSeconds(10));
    LOG.info("embedded Redis stopped");
  }
}
