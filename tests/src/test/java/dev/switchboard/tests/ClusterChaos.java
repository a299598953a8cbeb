package dev.switchboard.tests;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateways on one shared PostgreSQL and Redis under a bounded webhook load, optionally with faults: one node
 * SIGKILLed, another SIGSTOPped past its leases and resumed. Each conversation's sender posts its messages one
 * after the other, as a load balancer would: to its node, and to the next one when that one does not answer.
 * Afterwards it counts, from PostgreSQL, what users would see: messages acknowledged, lost, doubled, out of order,
 * the longest gap between two answers in a conversation, and the longest an acknowledged message waited.
 */
final class ClusterChaos implements AutoCloseable {
  private static final Pattern ADDED = Pattern.compile("Added \"(m\\d+)\"\\. You have (\\d+) items?\\.");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final int PER_CONVERSATION = 90;

  /** What the run came to. */
  record Result(int nodes, int acknowledged, int lost, int doubled, int outOfOrder, Duration longestGap,
      Duration longestWait,
      double acknowledgedPerSecond, double answeredPerSecond, Duration drain, int redirected, String firstDisorder,
      String slowest) {}

  private final SharedStorage storage;
  private final List<GatewayProcess> nodes = new ArrayList<>();
  private final String run = "c" + Long.toString(System.nanoTime(), 36);

  private ClusterChaos(SharedStorage storage) {
    this.storage = storage;
  }

  /** Starts {@code count} gateways named {@code <name>-<i>} on fresh shared storage, each with {@code env} too. */
  static ClusterChaos start(String name, int count, Map<String, String> env) throws Exception {
    ClusterChaos cluster = new ClusterChaos(SharedStorage.start(name + "-storage"));
    try {
      for (int i = 0; i < count; i++) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("SWITCHBOARD_POSTGRES_URL", cluster.storage.postgresUrl());
        nodeEnv.put("SWITCHBOARD_REDIS_URL", cluster.storage.redisUrl());
        nodeEnv.put("SWITCHBOARD_INFERENCE_MODEL", "none"); // commands only: the load measures the cluster
        cluster.nodes.add(GatewayProcess.start(name + "-" + i, nodeEnv));
      }
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  List<GatewayProcess> nodes() {
    return nodes;
  }

  /** A fault at a moment of the load. */
  record Fault(Duration at, String what, FaultAction action) {}

  @FunctionalInterface
  interface FaultAction {
    void apply() throws Exception;
  }

  /**
   * Runs the load for {@code duration} from {@code conversations} senders, applying {@code faults} on time, then
   * waits until every acknowledged message is answered (at most two minutes) and counts.
   */
  Result load(int conversations, Duration duration, List<Fault> faults) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).build();
    ExecutorService senders = Executors.newFixedThreadPool(conversations);
    Map<String, List<String>> ackedInOrder = new ConcurrentHashMap<>();
    int[] redirected = new int[conversations];
    long started = System.nanoTime();
    long end = started + duration.toNanos();
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < conversations; c++) {
      int sender = c;
      running.add(senders.submit(() -> {
        int node = sender % nodes.size();
        for (int n = 0; System.nanoTime() < end; n++) {
          String id = run + "-" + sender + "-" + n;
          String body = new JsonObject().put("id", id)
              .put("sender", new JsonObject().put("id", conversationOf(id)))
              .put("text", "/todo add m" + n % PER_CONVERSATION).encode();
          while (!accepted(client, nodes.get(node), body)) {
            node = (node + 1) % nodes.size(); // not answered there: the next node
            redirected[sender]++;
          }
          ackedInOrder.computeIfAbsent(conversationOf(id), k -> new ArrayList<>()).add(id);
        }
        return null;
      }));
    }
    for (Fault fault : faults) {
      long wait = started + fault.at().toNanos() - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
      System.out.printf("[chaos] %.1f s (%s): %s%n", (System.nanoTime() - started) / 1e9, java.time.LocalTime.now(),
          fault.what());
      fault.action().apply();
    }
    for (Future<?> sender : running) {
      sender.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
    }
    senders.shutdown();
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    int acknowledged = ackedInOrder.values().stream().mapToInt(List::size).sum();
    Duration drain = awaitAnswered(Duration.ofMinutes(2));
    double allSeconds = (System.nanoTime() - started) / 1e9;
    return count(ackedInOrder, acknowledged, loadSeconds, allSeconds, drain, java.util.Arrays.stream(redirected).sum());
  }

  /**
   * A sender moves to a new conversation every {@link #PER_CONVERSATION} messages (a to-do list holds 100): the
   * conversation of message {@code <run>-<sender>-<n>}.
   */
  private static String conversationOf(String id) {
    String[] parts = id.split("-");
    return "chaos-" + parts[1] + "-" + Integer.parseInt(parts[2]) / PER_CONVERSATION;
  }

  /** 202 (or a duplicate's answer, when a retry finds its first try recorded); false when the node did not take it. */
  private static boolean accepted(HttpClient client, GatewayProcess node, String body) throws InterruptedException {
    try {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(node.uri("/v1/messages?wait=0"))
              .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 202 || answer.statusCode() == 200) {
        return true;
      }
      if (answer.statusCode() != 503) {
        throw new IllegalStateException("unexpected answer " + answer.statusCode() + ": " + answer.body());
      }
      Thread.sleep(100);
      return false;
    } catch (IOException dead) { // refused (killed) or no answer in time (paused)
      return false;
    }
  }

  private Duration awaitAnswered(Duration within) throws Exception {
    long started = System.nanoTime();
    long deadline = started + within.toNanos();
    while (!"0".equals(query("SELECT count(*) FROM inbound_messages WHERE message_id LIKE '" + run
        + "-%' AND status = 'accepted'"))) {
      if (System.nanoTime() > deadline) {
        break; // what is left counts as lost
      }
      Thread.sleep(200);
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private Result count(Map<String, List<String>> ackedInOrder, int acknowledged, double loadSeconds,
      double allSeconds, Duration drain, int redirected) throws Exception {
    // every reply of the run, in the order the conversations got them (outbox ids grow with each commit)
    Map<String, List<String[]>> replies = new HashMap<>();
    for (String row : queryAll("SELECT i.message_id || ' ' || (o.reply->>'text') FROM outbox o"
        + " JOIN inbound_messages i ON i.seq = o.inbound_seq WHERE i.message_id LIKE '" + run + "-%' ORDER BY o.id")) {
      String id = row.substring(0, row.indexOf(' '));
      replies.computeIfAbsent(conversationOf(id), k -> new ArrayList<>())
          .add(new String[] {id, row.substring(id.length() + 1)});
    }
    int lost = 0;
    int doubled = 0;
    int outOfOrder = 0;
    String firstDisorder = "";
    for (Map.Entry<String, List<String>> conversation : ackedInOrder.entrySet()) {
      List<String> acked = conversation.getValue();
      List<String[]> got = replies.getOrDefault(conversation.getKey(), List.of());
      Map<String, Integer> times = new HashMap<>();
      got.forEach(reply -> times.merge(reply[0], 1, Integer::sum));
      for (String id : acked) {
        int answered = times.getOrDefault(id, 0);
        lost += answered == 0 ? 1 : 0;
        doubled += Math.max(0, answered - 1);
      }
      // in order: the k-th reply answers the k-th acknowledged message, and its list has k items
      for (int k = 0; k < got.size(); k++) {
        Matcher added = ADDED.matcher(got.get(k)[1]);
        boolean inPlace = k < acked.size() && acked.get(k).equals(got.get(k)[0]) && added.matches()
            && Integer.parseInt(added.group(2)) == k + 1;
        if (!inPlace) {
          if (outOfOrder++ == 0) {
            firstDisorder = conversation.getKey() + ": reply " + (k + 1) + " was " + String.join(" ", got.get(k))
                + ", acknowledged " + (k < acked.size() ? acked.get(k) : "nothing more");
          }
          break;
        }
      }
    }
    String longest = query("SELECT coalesce(max(extract(epoch FROM completed_at - received_at)), 0)"
        + " FROM inbound_messages WHERE message_id LIKE '" + run + "-%'");
    Duration longestWait = Duration.ofMillis(Math.round(Double.parseDouble(longest) * 1000));
    // the longest a conversation went without an answer while its sender kept writing: a takeover's length
    String gap = query("SELECT coalesce(max(gap), 0) FROM (SELECT extract(epoch FROM completed_at"
        + " - lag(completed_at) OVER (PARTITION BY conversation ORDER BY seq)) AS gap FROM inbound_messages"
        + " WHERE message_id LIKE '" + run + "-%') gaps");
    Duration longestGap = Duration.ofMillis(Math.round(Double.parseDouble(gap) * 1000));
    // the slowest answers, with when they were recorded: which fault they waited out
    String slowest = String.join("; ", queryAll("SELECT message_id || ' recorded '"
        + " || to_char(received_at, 'HH24:MI:SS.MS')"
        + " || ' waited ' || round(extract(epoch FROM completed_at - received_at)::numeric, 1) || ' s'"
        + " FROM inbound_messages WHERE message_id LIKE '" + run + "-%'"
        + " ORDER BY completed_at - received_at DESC LIMIT 3"));
    return new Result(nodes.size(), acknowledged, lost, doubled, outOfOrder, longestGap, longestWait,
        acknowledged / loadSeconds, (acknowledged - lost) / allSeconds, drain, redirected, firstDisorder, slowest);
  }

  private String query(String sql) throws Exception {
    List<String> rows = queryAll(sql);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private List<String> queryAll(String sql) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.SqlClient client = io.vertx.pgclient.PgBuilder.client()
          .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(storage.postgresUrl())).using(vertx).build();
      List<String> out = new ArrayList<>();
      client.query(sql).execute().await().forEach(row -> out.add(String.valueOf(row.getValue(0))));
      client.close().await();
      return out;
    } finally {
      vertx.close().await();
    }
  }

  @Override
  public void close() throws Exception {
    for (GatewayProcess node : nodes) {
      try {
        node.resume(); // a paused node would not stop
      } catch (Exception notRunning) {
        // killed, or already running
      }
      node.close();
    }
    storage.close();
  }
}
