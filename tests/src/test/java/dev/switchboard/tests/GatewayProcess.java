package dev.switchboard.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway, {@code java -jar switchboard.jar}, as a separate process on a free loopback port, with its
 * own data directory. Storage is embedded unless {@code SWITCHBOARD_TEST_POSTGRES_URL} /
 * {@code SWITCHBOARD_TEST_REDIS_URL} point at servers to use instead.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final Path dataDir;
  private final String dataDirSetting;
  private final Map<String, String> env;
  private final Path logDir;
  private final Path runDir;
  private final int port;
  private Process process;
  private int starts;

  private GatewayProcess(Path dataDir, String dataDirSetting, Map<String, String> env, Path logDir, Path runDir,
      int port) {
    this.dataDir = dataDir;
    this.dataDirSetting = dataDirSetting;
    this.env = env;
    this.logDir = logDir;
    this.runDir = runDir;
    this.port = port;
  }

  /** How a test wants its gateway started. */
  private record Setup(boolean externalPostgresAllowed, boolean externalRedisAllowed, String yaml,
      boolean relativeDataDir) {}

  /** Starts a gateway named {@code name} (its data and logs go under {@code target/e2e/<name>}). */
  static GatewayProcess start(String name, Map<String, String> extraEnv) throws Exception {
    return start(name, extraEnv, true);
  }

  /**
   * Starts a gateway; with {@code externalRedisAllowed} false it always runs its own embedded Redis, for tests
   * that stop and resume that server.
   */
  static GatewayProcess start(String name, Map<String, String> extraEnv, boolean externalRedisAllowed)
      throws Exception {
    return start(name, extraEnv, externalRedisAllowed, null);
  }

  /** Starts a gateway with {@code yaml} as its {@code ./switchboard.yml} (none if {@code null}). */
  static GatewayProcess start(String name, Map<String, String> extraEnv, boolean externalRedisAllowed, String yaml)
      throws Exception {
    return start(name, extraEnv, new Setup(true, externalRedisAllowed, yaml, false));
  }

  /**
   * Starts a gateway with its own embedded PostgreSQL and Redis, whatever the test servers, for tests that
   * stop those servers.
   */
  static GatewayProcess startWithOwnStorage(String name, Map<String, String> extraEnv) throws Exception {
    return start(name, extraEnv, new Setup(false, false, null, false));
  }

  /**
   * Starts a gateway as someone would from another folder: its working directory is {@code <work>/elsewhere} and
   * its data folder the relative {@code ../data}.
   */
  static GatewayProcess startElsewhereWithRelativeDataDir(String name, Map<String, String> extraEnv)
      throws Exception {
    return start(name, extraEnv, new Setup(false, false, null, true));
  }

  private static GatewayProcess start(String name, Map<String, String> extraEnv, Setup setup) throws Exception {
    String yaml = setup.yaml();
    Path work = Path.of(System.getProperty("switchboard.work", "target/e2e")).resolve(name).toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    if (yaml != null) {
      Files.writeString(work.resolve("switchboard.yml"), yaml);
    }
    Map<String, String> env = new HashMap<>(extraEnv);
    // tests send quickly from a few senders; the sender quota is QuotaTest's subject, where it is set for real
    env.putIfAbsent("SWITCHBOARD_LIMITS_SENDER_PER_MINUTE", "1000000");
    env.putIfAbsent("SWITCHBOARD_LIMITS_SENDER_BURST", "1000000");
    String pg = System.getenv("SWITCHBOARD_TEST_POSTGRES_URL");
    String redis = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    if (pg != null && !pg.isBlank() && setup.externalPostgresAllowed()) {
      env.put("SWITCHBOARD_POSTGRES_URL", pg);
    }
    if (redis != null && !redis.isBlank() && setup.externalRedisAllowed()) {
      env.put("SWITCHBOARD_REDIS_URL", redis);
    }
    Path runDir = setup.relativeDataDir() ? Files.createDirectories(work.resolve("elsewhere")) : work;
    Path dataDir = work.resolve("data");
    GatewayProcess gateway = new GatewayProcess(dataDir,
        setup.relativeDataDir() ? "../data" : dataDir.toString(), env, work, runDir, freePort());
    gateway.launch();
    return gateway;
  }

  /** Starts the gateway again on the same port and data directory. */
  void restart() throws Exception {
    launch();
  }

  private void launch() throws Exception {
    Path jar = Path.of(System.getProperty("switchboard.jar", "../gateway/app/target/switchboard.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the gateway first: " + jar + " is missing");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    starts++;
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
        .directory(runDir.toFile())
        .redirectOutput(logDir.resolve("stdout-" + starts + ".log").toFile())
        .redirectError(logDir.resolve("stderr-" + starts + ".log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_") || k.startsWith("TELEGRAM_")
        || k.startsWith("SLACK_") || k.startsWith("WHATSAPP_") || k.startsWith("DISCORD_"));
    builder.environment().putAll(env);
    builder.environment().put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    builder.environment().put("SWITCHBOARD_DATA_DIR", dataDirSetting);
    process = builder.start();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + stderr());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/health/live"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && stdout().contains(" is ready on ")) {
          return; // serving, and start-up finished (the banner is printed last); readiness is each test's to check
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("gateway not ready within " + READY_TIMEOUT + ":\n" + stderr());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Path dataDir() {
    return dataDir;
  }

  /** The admin token: {@code SWITCHBOARD_ADMIN_TOKEN} when the test set one, else the one the gateway generated. */
  String adminToken() {
    String configured = env.get("SWITCHBOARD_ADMIN_TOKEN");
    if (configured != null) {
      return configured;
    }
    try {
      return Files.readString(dataDir.resolve("admin-token")).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The operating-system id of the gateway's JVM process (the current run). */
  long pid() {
    return process.pid();
  }

  /** SIGSTOP: the JVM freezes where it is (its embedded servers keep running) until {@link #resume()}. */
  void pause() throws Exception {
    signal("-STOP");
  }

  /** SIGCONT: a paused JVM carries on from where it was stopped. */
  void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
    }
  }

  /** The folder the gateway runs in; its default {@code ./plugins} is here. */
  Path workDir() {
    return runDir;
  }

  /** The pid of the embedded PostgreSQL's postmaster, from the first line of its pid file. */
  long postgresPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
  }

  /** The pid of the embedded redis-server, from its pid file. */
  long redisPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("redis/redis.pid")).get(0).strip());
  }

  /** The gateway's PostgreSQL: the configured test server, else its embedded one. */
  String postgresUrl() throws IOException {
    String external = env.get("SWITCHBOARD_POSTGRES_URL");
    if (external != null) {
      return external;
    }
    String port = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip();
    String password = Files.readString(dataDir.resolve("postgres-password")).strip();
    return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
  }

  /** The gateway's embedded Redis, with its password (for a second node sharing it). */
  String redisUrl() throws IOException {
    java.util.regex.Matcher port = java.util.regex.Pattern.compile("port=(\\d+)")
        .matcher(Files.readString(dataDir.resolve("redis/redis.log")));
    if (!port.find()) {
      throw new IllegalStateException("the embedded Redis has not said its port");
    }
    String password = Files.readString(dataDir.resolve("redis-password")).strip();
    return "redis://:" + password + "@127.0.0.1:" + port.group(1);
  }

  /** The first column of the first row of {@code sql}, as text, or {@code null}; read straight from PostgreSQL. */
  String queryOne(String sql) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.SqlClient client = io.vertx.pgclient.PgBuilder.client()
          .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(postgresUrl())).using(vertx).build();
      var rows = client.query(sql).execute().await();
      client.close().await();
      return rows.size() == 0 ? null : String.valueOf(rows.iterator().next().getValue(0));
    } finally {
      vertx.close().await();
    }
  }

  /** What the current run printed on stdout. */
  String stdout() throws IOException {
    return Files.readString(logDir.resolve("stdout-" + starts + ".log"));
  }

  String stderr() throws IOException {
    return Files.readString(logDir.resolve("stderr-" + starts + ".log"));
  }

  /** SIGKILL: no shutdown hook runs, embedded servers are orphaned. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and the exit code once it stopped (or -1 after {@code timeout}). */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      terminate(Duration.ofSeconds(60));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.forEach(paths::add);
    }
    paths.sort((a, b) -> b.getNameCount() - a.getNameCount());
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
