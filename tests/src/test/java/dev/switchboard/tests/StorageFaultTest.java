package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The embedded servers are supervised: one that dies under load is started again and the gateway carries on
 * without a restart of its own, losing and doubling nothing it acknowledged.
 */
class StorageFaultTest {
  private static final int SENDERS = 4;
  private static final Duration LOAD = Duration.ofSeconds(12);

  @Test
  void postgresKilledUnderLoadIsRestartedAndEveryAcknowledgedMessageIsAnsweredOnce() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.startWithOwnStorage("postgres-killed", Map.of())) {
      Api api = new Api(gateway);
      assertEquals(200, api.send("warm", "/help").status());
      long firstPostgres = gateway.postgresPid();
      Load load = Load.start(api, "pg");
      Thread.sleep(3000);
      kill(firstPostgres);
      List<String> acknowledged = load.await();

      // every caller got an answer it can act on: 202, or 503 with Retry-After while PostgreSQL was gone
      assertEquals(Set.of(), load.unexpected, "answers other than 202 and 503 with Retry-After");
      assertTrue(load.unavailable.get() > 0, "some requests found PostgreSQL gone (503)");
      assertTrue(acknowledged.size() > 100, "the load went on after the restart: " + acknowledged.size());
      assertNotEquals(firstPostgres, gateway.postgresPid(), "a new postmaster");
      assertTrue(ProcessHandle.of(gateway.pid()).map(ProcessHandle::isAlive).orElse(false), "the same gateway");

      // nothing acknowledged is lost or answered twice: each has its reply, exactly one outbox row
      awaitNoneAccepted(gateway);
      String ids = "'" + String.join("','", acknowledged) + "'";
      assertEquals(String.valueOf(acknowledged.size()), gateway.queryOne(
          "SELECT count(*) FROM inbound_messages WHERE status = 'replied' AND message_id IN (" + ids + ")"));
      assertEquals(String.valueOf(acknowledged.size()), gateway.queryOne(
          "SELECT count(*) FROM outbox o JOIN inbound_messages i ON i.seq = o.inbound_seq"
              + " WHERE i.message_id IN (" + ids + ")"));
      assertEquals(200, api.get("/health/ready").status());
      assertEquals(200, api.get("/health/live").status());
      String log = gateway.stderr();
      assertEquals(1, count(log, "embedded PostgreSQL stopped unexpectedly; restarting it"), log);
      assertTrue(log.contains("embedded PostgreSQL restarted"), log);
      assertTrue(count(log, "storage does not answer") <= 1, "one warning per outage:\n" + log);
    }
  }

  @Test
  void redisKilledIsRestartedAndConversationsGoOnMeanwhile() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.startWithOwnStorage("redis-killed", Map.of())) {
      Api api = new Api(gateway);
      assertEquals("What should I add?", api.send("nora", "/todo add").replyText());
      long firstRedis = gateway.redisPid();
      kill(firstRedis);
      // at once, before it is back: the session comes from PostgreSQL
      assertEquals("Added \"plums\". You have 1 item.", api.send("nora", "plums").replyText());

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!restarted(gateway, firstRedis) || !"ready".equals(api.get("/health/ready").json().getString("status"))) {
        assertTrue(System.nanoTime() < deadline, "Redis not restarted within 20 s:\n" + gateway.stderr());
        Thread.sleep(200);
      }
      assertEquals("Your list:\n1. plums", api.send("nora", "/todo list").replyText());
      String log = gateway.stderr();
      assertEquals(1, count(log, "embedded Redis stopped unexpectedly; restarting it"), log);
      assertTrue(count(log, "Redis does not answer") <= 2, "one warning per outage and store:\n" + log);
    }
  }

  @Test
  void aServerThatCannotRestartMakesTheNodeNotLiveUntilItIsBack() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.startWithOwnStorage("postgres-stuck",
        Map.of("SWITCHBOARD_STORAGE_RECOVERY_LIMIT", "3s"))) {
      Api api = new Api(gateway);
      int port = Integer.parseInt(
          Files.readAllLines(gateway.dataDir().resolve("postgres/postmaster.pid")).get(3).strip());
      kill(gateway.postgresPid());
      Api.Answer intake;
      // something else takes PostgreSQL's port, so its restarts fail
      try (ServerSocket squatter = bindWhenFree(port)) {
        intake = api.post("/v1/messages?wait=0", new JsonObject().put("id", "while-down")
            .put("sender", new JsonObject().put("id", "otto")).put("text", "/help").encode(), Map.of());
        Api.Answer live = awaitStatus(api, "/health/live", 503, Duration.ofSeconds(20));
        assertEquals("unrecoverable", live.json().getJsonObject("error").getString("code"));
        assertEquals(503, api.get("/health/ready").status());
      }
      assertEquals(503, intake.status(), intake.raw().body());
      assertTrue(intake.raw().headers().firstValue("Retry-After").isPresent(), "503 says when to retry");
      assertEquals("unavailable", intake.json().getJsonObject("error").getString("code"));

      awaitStatus(api, "/health/live", 200, Duration.ofSeconds(60)); // the port is free: the next restart works
      assertEquals(200, api.get("/health/ready").status());
      assertEquals(202, api.post("/v1/messages?wait=0", new JsonObject().put("id", "while-down")
          .put("sender", new JsonObject().put("id", "otto")).put("text", "/help").encode(), Map.of()).status());
      assertTrue(gateway.stderr().contains("did not restart"), gateway.stderr());
    }
  }

  private static ServerSocket bindWhenFree(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
      } catch (java.net.BindException stillHeld) {
        assertTrue(System.nanoTime() < deadline, "PostgreSQL's port was not freed");
        Thread.sleep(20);
      }
    }
  }

  private static Api.Answer awaitStatus(Api api, String path, int status, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Api.Answer answer = api.get(path);
      if (answer.status() == status) {
        return answer;
      }
      assertTrue(System.nanoTime() < deadline, path + " did not answer " + status + " within " + within
          + "; last: " + answer.raw().body());
      Thread.sleep(200);
    }
  }

  private static boolean restarted(GatewayProcess gateway, long oldPid) {
    try {
      long pid = gateway.redisPid();
      return pid != oldPid && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (Exception notYet) {
      return false;
    }
  }

  private static void kill(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -KILL " + pid);
  }

  private static void awaitNoneAccepted(GatewayProcess gateway) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!"0".equals(gateway.queryOne("SELECT count(*) FROM inbound_messages WHERE status = 'accepted'"))) {
      assertTrue(System.nanoTime() < deadline, "messages still waiting a minute after the load");
      Thread.sleep(250);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Senders posting {@code wait=0} messages as fast as they are answered, each retrying a 503 as a platform
   * would, so every message ends acknowledged.
   */
  private static final class Load {
    final AtomicInteger unavailable = new AtomicInteger();
    final Set<String> unexpected = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    private final List<Future<List<String>>> senders = new ArrayList<>();

    static Load start(Api api, String prefix) {
      Load load = new Load();
      long end = System.nanoTime() + LOAD.toNanos();
      for (int s = 0; s < SENDERS; s++) {
        String sender = prefix + "-sender-" + s;
        load.senders.add(load.pool.submit(() -> load.send(api, sender, end)));
      }
      return load;
    }

    private List<String> send(Api api, String sender, long end) throws Exception {
      List<String> acked = new ArrayList<>();
      for (int n = 0; System.nanoTime() < end; n++) {
        String id = sender + "-" + n;
        String body = new JsonObject().put("id", id).put("sender", new JsonObject().put("id", sender))
            .put("text", "/todo add item " + n).encode();
        while (true) {
          Api.Answer answer = api.post("/v1/messages?wait=0", body, Map.of());
          if (answer.status() == 202 || answer.status() == 200 && answer.json().getBoolean("duplicate", false)) {
            acked.add(id); // a retry may find its first try recorded after all
            break;
          }
          if (answer.status() == 503 && answer.raw().headers().firstValue("Retry-After").isPresent()) {
            unavailable.incrementAndGet();
            Thread.sleep(100); // sooner than Retry-After says: the test wants to see the first accepted one
          } else {
            unexpected.add(answer.status() + " " + answer.raw().body());
            break;
          }
        }
      }
      return acked;
    }

    List<String> await() throws Exception {
      List<String> all = new ArrayList<>();
      for (Future<List<String>> sender : senders) {
        all.addAll(sender.get(LOAD.toSeconds() + 120, TimeUnit.SECONDS));
      }
      pool.shutdown();
      return all;
    }
  }
}
