package dev.switchboard.tests;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway's ingress paths next to a bare Vert.x server, in one run on one machine: the bare server (parses the
 * same 1 KB JSON and answers), {@code POST /v1/messages?wait=0} (durable ack), {@code POST /v1/messages} (the
 * reply in the answer), a signed Slack slash command and a Telegram webhook update, each at every connection count
 * of {@code -Dbench.connections}. Prints requests/s and latency against the bare server, how fast the gateway
 * fully handles what it admitted (backlog drain, read from PostgreSQL), and the peak resident memory of the
 * gateway JVM and of its embedded PostgreSQL and Redis. Asserts nothing about speed. Run it with the command in
 * the README.
 */
@Tag("benchmark")
class WebhookBenchmark {
  private static final List<Integer> CONNECTIONS = Arrays.stream(
      System.getProperty("bench.connections", "50,200").split(",")).map(String::strip).map(Integer::valueOf).toList();
  private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 15);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(Integer.getInteger("bench.drain-seconds", 120));
  /** A drain whose backlog has not shrunk for this long is given up as stalled. */
  private static final Duration STALL = Duration.ofSeconds(20);
  private static final int CONVERSATIONS = 1000;
  private static final String TELEGRAM_SECRET = "bench-webhook-secret";
  private static final String PADDING = "x".repeat(900);
  /** Numbers every request of the run: unique message ids, spread over the conversations. */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** One request: headers and body. */
  record Request(MultiMap headers, Buffer body) {}

  /** What is measured: where the requests go, how the n-th one is built and the status it should get. */
  record Scenario(String name, int port, String path, boolean gateway, int expected, LongFunction<Request> request) {}

  /** What the client saw during one load; {@code outcomes} counts each status (or failure) but the expected one. */
  record Load(long requests, long errors, double seconds, long p50Micros, long p99Micros, Map<String, Long> outcomes) {
    double perSecond() {
      return requests / seconds;
    }
  }

  /**
   * How the messages a gateway scenario admitted got handled, its load and the drain after it together;
   * {@code unfinished} says why the drain was given up, null when it finished.
   */
  record Backlog(long messages, long handled, double loadSeconds, double drainSeconds, String unfinished) {
    double processedPerSecond() {
      return handled / (loadSeconds + drainSeconds);
    }
  }

  /** One line of the table: a scenario at one connection count ({@code backlog} null for the bare server). */
  record Line(Scenario scenario, int connections, Load load, Backlog backlog) {
    static final String HEADER = String.format("%-16s %8s %8s %8s %8s %12s %7s %12s %8s",
        "scenario", "req/s", "vs bare", "p50 ms", "p99 ms", "p99 vs bare", "errors", "processed/s", "drain s");

    String format(Load bare) {
      return String.format("%-16s %8.0f %7.1f%% %8.2f %8.2f %11.1fx %7d %12s %8s", scenario.name(),
          load.perSecond(), 100 * load.perSecond() / bare.perSecond(), load.p50Micros() / 1000.0,
          load.p99Micros() / 1000.0, (double) load.p99Micros() / Math.max(1, bare.p99Micros()), load.errors(),
          backlog == null ? "-" : String.format("%.0f", backlog.processedPerSecond()),
          backlog == null ? "-" : backlog.unfinished() == null ? String.format("%.1f", backlog.drainSeconds())
              : backlog.unfinished());
    }
  }

  @Test
  void gatewayPathsNextToBareVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FakeSlack slack = new FakeSlack();
         FakeTelegram telegram = new FakeTelegram();
         GatewayProcess gateway = GatewayProcess.start("benchmark", gatewayEnv(slack, telegram));
         MemorySampler memory = new MemorySampler(gateway)) {
      telegram.await("setWebhook", c -> true, Duration.ofSeconds(60));
      awaitReady(gateway);
      HttpServer bare = bareServer(vertx);
      int port = gateway.uri("/").getPort();
      List<Scenario> scenarios = List.of(
          new Scenario("bare Vert.x", bare.actualPort(), "/", false, 200, WebhookBenchmark::webhookMessage),
          new Scenario("wait=0", port, "/v1/messages?wait=0", true, 202, WebhookBenchmark::webhookMessage),
          new Scenario("reply", port, "/v1/messages", true, 200, WebhookBenchmark::webhookMessage),
          new Scenario(FLOODED, port, "/v1/messages", true, 200, WebhookBenchmark::webhookMessage),
          new Scenario("slack command", port, "/slack/commands", true, 200, n -> slackCommand(slack, n)),
          // last: its replies leave through Telegram's pacing (about 30/s per bot) long after the load
          new Scenario("telegram update", port, "/telegram/webhook", true, 200, WebhookBenchmark::telegramUpdate))
          .stream().filter(s -> !s.gateway() || ONLY.isEmpty() || ONLY.contains(s.name())).toList();
      List<Line> lines = new ArrayList<>();
      List<String> floods = new ArrayList<>();
      Scenario flood = new Scenario("flood", port, "/v1/messages?wait=0", true, 429, WebhookBenchmark::floodMessage);
      for (Scenario scenario : scenarios) {
        boolean flooded = scenario.name().equals(FLOODED);
        load(vertx, scenario, CONNECTIONS.get(0), WARMUP_SECONDS);
        drain(gateway, scenario, 0, 0);
        for (int connections : CONNECTIONS) {
          long lastSeq = scenario.gateway() ? count(gateway, "SELECT coalesce(max(seq), 0) FROM inbound_messages") : 0;
          // one sender flooding beside the measured senders, on connections of its own, for as long
          CompletableFuture<Load> flooding = flooded
              ? CompletableFuture.supplyAsync(() -> load(vertx, flood, FLOOD_CONNECTIONS, SECONDS))
              : CompletableFuture.completedFuture(null);
          Load load = load(vertx, scenario, connections, SECONDS);
          if (flooded) {
            Load f = flooding.get();
            floods.add(String.format("%s at %d connections: the flooding sender sent %.0f req/s on %d connections, "
                + "%d of %d answered 429 (the others: %s)", FLOODED, connections, f.perSecond(), FLOOD_CONNECTIONS,
                f.requests() - f.outcomes().values().stream().mapToLong(Long::longValue).sum(), f.requests(),
                f.outcomes()));
          }
          lines.add(new Line(scenario, connections, load, drain(gateway, scenario, lastSeq, load.seconds())));
        }
      }
      List<String> notes = notes(gateway, slack);
      notes.addAll(floods);
      print(scenarios, lines, memory.summary(), notes);
      bare.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /** {@code -Dbench.scenarios=wait=0;reply}: only these gateway scenarios (all when empty). */
  private static final List<String> ONLY = Arrays.stream(System.getProperty("bench.scenarios", "").split(";"))
      .map(String::strip).filter(name -> !name.isEmpty()).toList();

  /** The reply scenario again, while one more sender floods the gateway beside the measured ones. */
  private static final String FLOODED = "reply, flooded";
  private static final int FLOOD_CONNECTIONS = 20;

  private static Map<String, String> gatewayEnv(FakeSlack slack, FakeTelegram telegram) {
    Map<String, String> env = new HashMap<>(slack.gatewayEnv());
    // quotas far above what one of the measured senders sends (each of the 1000 sends a few a second), and far
    // below what the flooding sender tries
    env.put("SWITCHBOARD_LIMITS_SENDER_PER_MINUTE", "6000");
    env.put("SWITCHBOARD_LIMITS_SENDER_BURST", "1000");
    env.putAll(telegram.gatewayEnv());
    env.put("SWITCHBOARD_CHANNELS_TELEGRAM_MODE", "webhook");
    env.put("SWITCHBOARD_CHANNELS_TELEGRAM_WEBHOOK_URL", "https://bench.example.invalid/telegram/webhook");
    env.put("SWITCHBOARD_CHANNELS_TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET);
    String jfr = System.getProperty("bench.jfr", "");
    if (!jfr.isBlank()) { // a flight recording of the gateway for the whole run, to see where its time goes
      env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath()
          + ",settings=profile,dumponexit=true");
    }
    return env;
  }

  private static void awaitReady(GatewayProcess gateway) throws Exception {
    Api api = new Api(gateway);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Api.Answer ready;
    while ((ready = api.get("/health/ready")).status() != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gateway not ready: " + ready.raw().body());
      }
      Thread.sleep(200);
    }
  }

  /** Parses the same JSON as the gateway's webhook and answers a small JSON. */
  private static HttpServer bareServer(Vertx vertx) {
    return vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          JsonObject json = body.toJsonObject();
          req.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("id", json.getString("id")).put("status", "accepted").toBuffer());
        }))
        .listen(0, "127.0.0.1").await();
  }

  /** A webhook message of about 1 KB. */
  private static Request webhookMessage(long n) {
    Buffer body = new JsonObject().put("id", "bench-" + n)
        .put("sender", new JsonObject().put("id", "bench-" + n % CONVERSATIONS))
        .put("text", "/todo list " + PADDING).toBuffer();
    return new Request(HttpHeaders.headers().add("Content-Type", "application/json"), body);
  }

  /** A message from the one sender that floods. */
  private static Request floodMessage(long n) {
    Buffer body = new JsonObject().put("id", "flood-" + n).put("sender", new JsonObject().put("id", "flooder"))
        .put("text", "/todo list " + PADDING).toBuffer();
    return new Request(HttpHeaders.headers().add("Content-Type", "application/json"), body);
  }

  /** {@code /todo list} as Slack posts a slash command, signed with the app's signing secret. */
  private static Request slackCommand(FakeSlack slack, long n) {
    String trigger = "bench." + n;
    String body = "token=benchVerificationToken&team_id=T1&team_domain=bench&channel_id=CBENCH&channel_name=bench"
        + "&user_id=U" + (100_000 + n % CONVERSATIONS) + "&user_name=bench&command=%2Ftodo&text=list&api_app_id=A1"
        + "&response_url=" + URLEncoder.encode(slack.responseUrl(trigger), StandardCharsets.UTF_8)
        + "&trigger_id=" + trigger;
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    String signature;
    try {
      signature = "v0=" + WebhookChannelTest.hmac(FakeSlack.SIGNING_SECRET, "v0:" + timestamp + ":" + body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Request(HttpHeaders.headers().add("Content-Type", "application/x-www-form-urlencoded")
        .add("X-Slack-Request-Timestamp", timestamp).add("X-Slack-Signature", signature), Buffer.buffer(body));
  }

  /** A Telegram update with {@code /todo list} in a private chat, as the Bot API posts it to a webhook. */
  private static Request telegramUpdate(long n) {
    long chat = 1_000_000_000L + n % CONVERSATIONS;
    JsonObject message = new JsonObject().put("message_id", n).put("date", Instant.now().getEpochSecond())
        .put("from", new JsonObject().put("id", chat).put("is_bot", false).put("first_name", "Bench"))
        .put("chat", new JsonObject().put("id", chat).put("first_name", "Bench").put("type", "private"))
        .put("text", "/todo list")
        .put("entities", new JsonArray().add(new JsonObject().put("offset", 0).put("length", 5)
            .put("type", "bot_command")));
    return new Request(HttpHeaders.headers().add("Content-Type", "application/json")
        .add("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET),
        new JsonObject().put("update_id", n).put("message", message).toBuffer());
  }

  /** Drives {@code connections} keep-alive connections, each sending its next request once the last is answered. */
  private static Load load(Vertx vertx, Scenario scenario, int connections, int seconds) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(scenario.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
    Driver driver = new Driver(client, scenario, System.nanoTime() + seconds * 1_000_000_000L);
    long start = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Promise<Void> done = Promise.promise();
      workers.add(done.future());
      vertx.runOnContext(v -> driver.next(done));
    }
    Future.all(workers).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    client.close().await();
    return driver.result(elapsed);
  }

  /** The requests of one load and what came back. */
  private static final class Driver {
    private final HttpClient client;
    private final Scenario scenario;
    private final long end;
    private final long[] latencyMicros = new long[4_000_000];
    private final AtomicLong count = new AtomicLong();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();

    Driver(HttpClient client, Scenario scenario, long end) {
      this.client = client;
      this.scenario = scenario;
      this.end = end;
    }

    void next(Promise<Void> done) {
      if (System.nanoTime() > end) {
        done.tryComplete();
        return;
      }
      Request request = scenario.request().apply(SEQUENCE.incrementAndGet());
      long t0 = System.nanoTime();
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(scenario.path())
              .setHeaders(request.headers()).setIdleTimeout(30_000))
          .compose(req -> req.send(request.body()))
          .compose(resp -> resp.body().map(resp.statusCode()))
          .onComplete(ar -> {
            long i = count.getAndIncrement();
            if (i < latencyMicros.length) {
              latencyMicros[(int) i] = (System.nanoTime() - t0) / 1000;
            }
            if (ar.failed() || ar.result() / 100 != 2) {
              errors.increment();
            }
            if (ar.failed() || ar.result() != scenario.expected()) {
              String outcome = ar.failed() ? ar.cause().getClass().getSimpleName() : "HTTP " + ar.result();
              outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            }
            next(done);
          });
    }

    Load result(double seconds) {
      long[] sorted = Arrays.copyOf(latencyMicros, (int) Math.min(count.get(), latencyMicros.length));
      Arrays.sort(sorted);
      Map<String, Long> unexpected = new TreeMap<>();
      outcomes.forEach((k, v) -> unexpected.put(k, v.sum()));
      return new Load(count.get(), errors.sum(), seconds, percentile(sorted, 50), percentile(sorted, 99), unexpected);
    }

    private static long percentile(long[] sorted, int p) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
  }

  /**
   * Waits until no message is left {@code accepted} in PostgreSQL (at most the drain limit, and giving up once
   * the backlog has not shrunk for {@link #STALL}), and answers how the messages after {@code lastSeq} fared;
   * {@code null} for the bare server.
   */
  private static Backlog drain(GatewayProcess gateway, Scenario scenario, long lastSeq, double loadSeconds)
      throws Exception {
    if (!scenario.gateway()) {
      return null;
    }
    long start = System.nanoTime();
    long lowest = Long.MAX_VALUE;
    long shrunkAt = start;
    String unfinished = null;
    for (long pending; (pending = count(gateway, "SELECT count(*) FROM inbound_messages WHERE status = 'accepted'"))
        > 0; Thread.sleep(250)) {
      long now = System.nanoTime();
      if (pending < lowest) {
        lowest = pending;
        shrunkAt = now;
      }
      if (now - start > DRAIN_LIMIT.toNanos() || now - shrunkAt > STALL.toNanos()) {
        unfinished = now - start > DRAIN_LIMIT.toNanos() ? "> " + DRAIN_LIMIT.toSeconds() : "stalled";
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long messages = count(gateway, "SELECT count(*) FROM inbound_messages WHERE seq > " + lastSeq);
    long handled = count(gateway,
        "SELECT count(*) FROM inbound_messages WHERE seq > " + lastSeq + " AND status <> 'accepted'");
    return new Backlog(messages, handled, loadSeconds, seconds, unfinished);
  }

  private static long count(GatewayProcess gateway, String sql) throws Exception {
    return Long.parseLong(gateway.queryOne(sql));
  }

  /** What else the run left behind that explains its figures. */
  private static List<String> notes(GatewayProcess gateway, FakeSlack slack) throws Exception {
    List<String> notes = new ArrayList<>();
    notes.add("slash commands whose reply missed Slack's answer and went to response_url: "
        + slack.calls("response_url").size());
    String pending = gateway.queryOne("SELECT coalesce(string_agg(channel || ' ' || n, ', '), 'none') FROM "
        + "(SELECT channel, count(*) AS n FROM outbox WHERE status = 'pending' GROUP BY channel) p");
    notes.add("replies still pending in the outbox at the end: " + pending
        + " (Telegram sends are paced at about 30/s per bot)");
    return notes;
  }

  private static void print(List<Scenario> scenarios, List<Line> lines, String memory, List<String> notes) {
    StringBuilder out = new StringBuilder("\n");
    for (int connections : CONNECTIONS) {
      List<Line> block = lines.stream().filter(l -> l.connections() == connections).toList();
      Load bare = block.stream().filter(l -> !l.scenario().gateway()).findFirst().orElseThrow().load();
      out.append(String.format("%d connections, %d s each (after a %d s warm-up per scenario); client, gateway, "
          + "PostgreSQL and Redis share this machine's %d cores%n", connections, SECONDS, WARMUP_SECONDS,
          Runtime.getRuntime().availableProcessors()));
      out.append(Line.HEADER).append('\n');
      block.forEach(l -> out.append(l.format(bare)).append('\n'));
      out.append('\n');
    }
    out.append("request bodies: ").append(scenarios.stream()
        .map(s -> s.name() + " " + s.request().apply(0).body().length() + " B").collect(Collectors.joining(", ")))
        .append('\n');
    out.append("processed/s: messages the scenario admitted and the gateway fully handled (no longer 'accepted' in "
        + "inbound_messages) / (load s + drain s); drain s: from the end of the load until no message is "
        + "'accepted' (polled from PostgreSQL, at most " + DRAIN_LIMIT.toSeconds() + " s; 'stalled': no progress for "
        + STALL.toSeconds() + " s)\n");
    for (Line l : lines) {
      boolean unhandled = l.backlog() != null && l.backlog().messages() != l.backlog().handled();
      if (!l.load().outcomes().isEmpty() || unhandled) {
        out.append(String.format("%s at %d connections: answers other than %d: %s%s%n", l.scenario().name(),
            l.connections(), l.scenario().expected(), l.load().outcomes(), l.backlog() == null ? "" : String.format(
                "; %d of %d messages handled", l.backlog().handled(), l.backlog().messages())));
      }
    }
    notes.forEach(n -> out.append(n).append('\n'));
    out.append(memory).append('\n');
    System.out.println(out);
  }

  /**
   * Samples resident memory every 250 ms: the gateway JVM's VmRSS, and its embedded servers together: PostgreSQL
   * as the PSS summed over the postmaster and all its children (backends share buffers; RSS would count them once
   * per process) plus Redis's VmRSS.
   */
  private static final class MemorySampler implements AutoCloseable {
    private final long jvm;
    private final long postgres;
    private final long redis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "memory-sampler");
      thread.setDaemon(true);
      return thread;
    });
    private long peakJvmKb;
    private long peakEmbeddedKb;
    private long postgresAtPeakKb;
    private long redisAtPeakKb;
    private int samples;

    MemorySampler(GatewayProcess gateway) throws IOException {
      jvm = gateway.pid();
      postgres = pidIn(gateway.dataDir().resolve("postgres/postmaster.pid"));
      redis = pidIn(gateway.dataDir().resolve("redis/redis.pid"));
      timer.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
      long jvmKb = kb(Path.of("/proc/" + jvm + "/status"), "VmRSS:");
      long postgresKb = postgres == 0 ? 0 : LongStream.concat(LongStream.of(postgres),
              ProcessHandle.of(postgres).stream().flatMap(ProcessHandle::descendants).mapToLong(ProcessHandle::pid))
          .map(pid -> kb(Path.of("/proc/" + pid + "/smaps_rollup"), "Pss:")).sum();
      long redisKb = redis == 0 ? 0 : kb(Path.of("/proc/" + redis + "/status"), "VmRSS:");
      samples++;
      peakJvmKb = Math.max(peakJvmKb, jvmKb);
      if (postgresKb + redisKb > peakEmbeddedKb) {
        peakEmbeddedKb = postgresKb + redisKb;
        postgresAtPeakKb = postgresKb;
        redisAtPeakKb = redisKb;
      }
    }

    synchronized String summary() {
      sample();
      return String.format("peak memory (%d samples, every 250 ms over the whole run): gateway JVM RSS %d MB "
              + "(VmHWM %d MB; -Xmx256m); embedded PostgreSQL (PSS summed over the postmaster and its backends, "
              + "which share buffers) + Redis (RSS) %d MB (PostgreSQL %d + Redis %d at that peak)%s",
          samples, peakJvmKb / 1024, kb(Path.of("/proc/" + jvm + "/status"), "VmHWM:") / 1024,
          peakEmbeddedKb / 1024, postgresAtPeakKb / 1024, redisAtPeakKb / 1024,
          postgres == 0 || redis == 0 ? " (storage not embedded: not measured)" : "");
    }

    /** The pid on the first line of a pid file; 0 when there is none (external storage). */
    private static long pidIn(Path file) throws IOException {
      return Files.exists(file) ? Long.parseLong(Files.readAllLines(file).get(0).strip()) : 0;
    }

    /** A {@code kB} field of a /proc file; 0 when the process is gone. */
    private static long kb(Path file, String field) {
      try {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith(field)) {
            return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process ended between listing and reading
      }
      return 0;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
