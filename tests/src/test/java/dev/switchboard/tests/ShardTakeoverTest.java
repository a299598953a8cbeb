package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two gateways share one PostgreSQL and split the 64 shards between them. When one dies with a backlog, the other
 * takes its shards over and answers every acknowledged message once, in order; when one is paused past its lease,
 * the other takes over and the paused node's late commit is refused by the shard's fence.
 */
class ShardTakeoverTest {
  /** What the design promises: a dead or paused node's shards are taken over within this. */
  private static final Duration TAKEOVER = Duration.ofSeconds(10);
  private static final int CONVERSATIONS = 100;
  private static final int MESSAGES_PER_CONVERSATION = 8;

  /** Lets /gate wait until the kill, and /slow finish normally on a node resumed after a long pause. */
  private static final String LONG_SKILL_TIMEOUT = """
      skills:
        timeout: 60s
      """;

  @Test
  void aNodeKilledDuringABacklogIsTakenOverAndEveryAckedMessageIsAnsweredOnceInOrder() throws Exception {
    try (SharedStorage storage = SharedStorage.start("takeover-kill-storage")) {
      killDuringABacklog(storage);
    }
  }

  private static void killDuringABacklog(SharedStorage storage) throws Exception {
    GatewayProcess a = node("takeover-kill-a", storage);
    GatewayProcess b = null;
    Db opened = null;
    try {
      b = node("takeover-kill-b", storage);
      Db db = opened = new Db(storage.postgresUrl());
      Api apiA = new Api(a);
      Api apiB = new Api(b);
      // Node a answers as fast as it acks a conversation's messages sent one after the other, so each conversation
      // opens with /gate, a skill that waits (like a slow call out) until its node's gate file exists: node b's
      // is open from the start, node a's never, so node a has a backlog behind its gates when it is killed.
      Files.writeString(b.workDir().resolve("gate-open"), "open");
      for (GatewayProcess node : List.of(a, b)) {
        Path plugins = Files.createDirectories(node.workDir().resolve("plugins"));
        gateSkill().writeTo(plugins.resolve("gate.jar"), Files.createDirectories(node.workDir().resolve("build")));
      }
      awaitSkill(apiA, "gate");
      awaitSkill(apiB, "gate");
      String nodeA = nodeId(a);
      String nodeB = nodeId(b);
      assertNotEquals(nodeA, nodeB);
      awaitSplit(db, nodeA, nodeB);
      List<Integer> shardsOfA = db.ints("SELECT shard FROM shard_leases WHERE owner = $1 AND expires_at > now()",
          Tuple.of(nodeA));

      // The backlog: each conversation's messages in order (each acked before the next is sent), all conversations
      // at once
      String run = "r" + Long.toString(System.nanoTime(), 36);
      List<CompletableFuture<Integer>> chains = new ArrayList<>();
      long sendStarted = System.nanoTime();
      for (int c = 0; c < CONVERSATIONS; c++) {
        int conversation = c;
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (int k = 0; k <= MESSAGES_PER_CONVERSATION; k++) {
          String body = new JsonObject().put("id", messageId(run, conversation, k))
              .put("sender", new JsonObject().put("id", sender(run, conversation)))
              .put("text", k == 0 ? "/gate" : "/todo add item-" + k).encode();
          chain = chain.thenCompose(acked -> apiA.postAsync("/v1/messages?wait=0", body, Map.of())
              .thenApply(answer -> {
                assertEquals(202, answer.status(), answer.raw().body());
                assertEquals("accepted", answer.json().getString("status"), answer.raw().body());
                return acked + 1;
              }));
        }
        chains.add(chain);
      }
      int acked = 0;
      for (CompletableFuture<Integer> chain : chains) {
        acked += chain.get();
      }
      long killStarted = System.nanoTime();
      a.kill(); // SIGKILL right after the last ack
      System.out.printf("[takeover-kill] %d messages acked by node a in %d ms; node a killed%n", acked,
          millisSince(sendStarted));
      assertEquals(CONVERSATIONS * (MESSAGES_PER_CONVERSATION + 1), acked);

      // b cannot touch a's shards before their leases expire, so this is what a left unanswered
      long pendingOfA = db.count("SELECT count(*) FROM inbound_messages WHERE message_id LIKE $1 "
          + "AND status = 'accepted' AND shard = ANY($2)",
          Tuple.of(run + "-%", (Object) shardsOfA.toArray(Integer[]::new)));
      long pendingAll = db.count("SELECT count(*) FROM inbound_messages WHERE message_id LIKE $1 "
          + "AND status = 'accepted'", Tuple.of(run + "-%"));
      System.out.printf("[takeover-kill] at the kill: %d messages still accepted, %d of them in node a's %d shards%n",
          pendingAll, pendingOfA, shardsOfA.size());
      assertTrue(pendingOfA > 0, "node a had answered its whole backlog before the kill: make the backlog bigger");

      // b takes every shard over within the promised bound
      long takenOver = awaitMillis(killStarted, Duration.ofSeconds(30), () -> db.count(
          "SELECT count(*) FROM shard_leases WHERE owner = $1 AND expires_at > now()", Tuple.of(nodeB)) == 64);
      System.out.printf("[takeover-kill] node b held all 64 shards %d ms after the kill%n", takenOver);
      assertTrue(takenOver >= 0, "node b did not take all 64 shards within 30 s of the kill: " + leases(db));
      assertTrue(takenOver <= TAKEOVER.toMillis(),
          "node b took all shards over " + takenOver + " ms after the kill (promised: within " + TAKEOVER + ")");

      // every acknowledged message is answered
      long answered = awaitMillis(killStarted, Duration.ofSeconds(60), () -> db.count("SELECT count(*) "
          + "FROM inbound_messages WHERE message_id LIKE $1 AND status <> 'replied'", Tuple.of(run + "-%")) == 0);
      System.out.printf("[takeover-kill] whole backlog answered %d ms after the kill%n", answered);
      assertTrue(answered >= 0, "not every acked message was answered within 60 s of the kill: " + db.rows(
          "SELECT status, count(*) FROM inbound_messages WHERE message_id LIKE $1 GROUP BY status",
          Tuple.of(run + "-%")));
      assertEquals(CONVERSATIONS * (MESSAGES_PER_CONVERSATION + 1), db.count(
          "SELECT count(*) FROM inbound_messages WHERE message_id LIKE $1", Tuple.of(run + "-%")));

      // ... once: no reply twice, and exactly one reply row per message
      assertEquals(List.of(), db.rows("SELECT inbound_seq, position, count(*) FROM outbox "
          + "GROUP BY inbound_seq, position HAVING count(*) > 1", Tuple.tuple()));
      assertEquals(List.of(), db.rows("SELECT i.message_id, "
          + "(SELECT count(*) FROM outbox o WHERE o.inbound_seq = i.seq) "
          + "FROM inbound_messages i WHERE i.message_id LIKE $1 "
          + "AND (SELECT count(*) FROM outbox o WHERE o.inbound_seq = i.seq) <> 1", Tuple.of(run + "-%")));

      // ... and in order, as the sender sees it: each add counted the items before it, the lists are in order
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> checks = new ArrayList<>();
      for (int c = 0; c < CONVERSATIONS; c++) {
        int conversation = c;
        checks.add(pool.submit(() -> {
          StringBuilder list = new StringBuilder("Your list:");
          Api.Answer gate = apiB.get("/v1/messages/" + messageId(run, conversation, 0));
          assertEquals("replied", gate.json().getString("status"), gate.raw().body());
          assertEquals("through the gate", gate.replyText());
          for (int k = 1; k <= MESSAGES_PER_CONVERSATION; k++) {
            Api.Answer report = apiB.get("/v1/messages/" + messageId(run, conversation, k));
            assertEquals(200, report.status(), report.raw().body());
            assertEquals("replied", report.json().getString("status"), report.raw().body());
            assertEquals(1, report.json().getJsonArray("replies").size(), report.raw().body());
            assertEquals("Added \"item-" + k + "\". You have " + k + (k == 1 ? " item." : " items."),
                report.replyText(), messageId(run, conversation, k));
            list.append('\n').append(k).append(". item-").append(k);
          }
          Api.Answer listed = apiB.send(sender(run, conversation), "/todo list");
          assertEquals(200, listed.status(), listed.raw().body());
          assertEquals(list.toString(), listed.replyText(), sender(run, conversation));
          return null;
        }));
      }
      for (Future<?> check : checks) {
        check.get();
      }
      pool.shutdown();
      System.out.printf("[takeover-kill] replies and lists checked %d ms after the kill%n", millisSince(killStarted));
    } finally {
      if (opened != null) {
        opened.close();
      }
      if (b != null) {
        b.close();
      }
      a.close();
    }
  }

  @Test
  void aNodePausedPastItsLeaseIsFencedAndTheMessageIsAnsweredOnce() throws Exception {
    try (SharedStorage storage = SharedStorage.start("takeover-pause-storage")) {
      pausePastTheLease(storage);
    }
  }

  private static void pausePastTheLease(SharedStorage storage) throws Exception {
    GatewayProcess a = node("takeover-pause-a", storage);
    GatewayProcess b = null;
    Db opened = null;
    boolean paused = false;
    try {
      b = node("takeover-pause-b", storage);
      Db db = opened = new Db(storage.postgresUrl());
      Api apiA = new Api(a);
      Api apiB = new Api(b);
      for (GatewayProcess node : List.of(a, b)) {
        Path plugins = Files.createDirectories(node.workDir().resolve("plugins"));
        Path work = Files.createDirectories(node.workDir().resolve("plugin-build"));
        slowSkill().writeTo(plugins.resolve("slow.jar"), work);
      }
      awaitSkill(apiA, "slow");
      awaitSkill(apiB, "slow");
      String nodeA = nodeId(a);
      String nodeB = nodeId(b);
      awaitSplit(db, nodeA, nodeB);

      // a conversation whose shard node a holds
      String sender = null;
      int shard = -1;
      for (int i = 0; i < 1000 && sender == null; i++) {
        String candidate = "sleepy-" + i;
        int s = Integer.parseInt(db.rows("SELECT shard_of($1)", Tuple.of("webhook:" + candidate)).get(0).get(0));
        if (nodeA.equals(owner(db, s))) {
          sender = candidate;
          shard = s;
        }
      }
      assertTrue(sender != null, "no conversation of node a's shards found: " + leases(db));
      System.out.printf("[takeover-pause] conversation webhook:%s is in shard %d, held by node a%n", sender, shard);

      String id = "slow-" + Long.toString(System.nanoTime(), 36);
      Api.Answer accepted = apiA.post("/v1/messages?wait=0", new JsonObject().put("id", id)
          .put("sender", new JsonObject().put("id", sender)).put("text", "/slow"));
      assertEquals(202, accepted.status(), accepted.raw().body());
      assertEquals(String.valueOf(shard), db.rows("SELECT shard FROM inbound_messages WHERE message_id = $1",
          Tuple.of(id)).get(0).get(0), "PostgreSQL's shard_of and the gateway agree");
      // node a is inside the skill (it sleeps 3 s there): freeze it
      String started = "slow skill started: " + id;
      assertTrue(awaitMillis(Duration.ofSeconds(10), () -> a.stderr().contains(started)) >= 0,
          "node a did not start the skill: " + a.stderr());
      Thread.sleep(300);
      long pausedAt = System.nanoTime();
      a.pause();
      paused = true;
      System.out.println("[takeover-pause] node a paused (SIGSTOP) while in the skill");

      int theShard = shard;
      String conversation = "webhook:" + sender;
      long takenOver = awaitMillis(pausedAt, Duration.ofSeconds(30), () -> nodeB.equals(owner(db, theShard)));
      System.out.printf("[takeover-pause] node b took shard %d over %d ms after the pause%n", shard, takenOver);
      assertTrue(takenOver >= 0, "node b did not take shard " + shard + " within 30 s: " + leases(db));
      assertTrue(takenOver <= TAKEOVER.toMillis(),
          "node b took the shard over " + takenOver + " ms after the pause (promised: within " + TAKEOVER + ")");
      long replied = awaitMillis(pausedAt, Duration.ofSeconds(30), () -> "replied".equals(status(db, id)));
      System.out.printf("[takeover-pause] the message was replied %d ms after the pause%n", replied);
      assertTrue(replied >= 0, "the message was not answered within 30 s of the pause: " + status(db, id));
      assertTrue(b.stderr().contains(started), "node b ran the skill again");

      a.resume();
      paused = false;
      System.out.println("[takeover-pause] node a resumed (SIGCONT)");
      Thread.sleep(5_000); // node a finishes the skill and tries to commit its stale turn

      assertEquals(List.of(List.of("0", "slow 1")), db.rows("SELECT o.position, o.reply->>'text' FROM outbox o "
          + "JOIN inbound_messages i ON i.seq = o.inbound_seq WHERE i.message_id = $1", Tuple.of(id)));
      assertEquals(List.of(List.of("1", "1")), db.rows("SELECT version, state->'slow'->>'count' FROM sessions "
          + "WHERE conversation = $1",
          Tuple.of(conversation)));
      Api.Answer report = apiA.get("/v1/messages/" + id);
      assertEquals("replied", report.json().getString("status"), report.raw().body());
      assertEquals(1, report.json().getJsonArray("replies").size(), report.raw().body());
      assertEquals("slow 1", report.replyText());
      assertTrue(a.stderr().contains("not committed: shard " + shard + " is held by another node now message_id=\""
          + id + "\""), "node a's late commit was not refused by the fence:\n" + a.stderr());

      // the conversation goes on from where it is, whichever node works it now
      String nextId = id + "-next";
      Api.Answer next = apiA.post("/v1/messages?wait=30", new JsonObject().put("id", nextId)
          .put("sender", new JsonObject().put("id", sender)).put("text", "/slow"));
      if (next.status() == 202) {
        awaitMillis(Duration.ofSeconds(30), () -> !"accepted".equals(status(db, nextId)));
        next = apiA.get("/v1/messages/" + nextId);
      }
      assertEquals("replied", next.json().getString("status"), next.raw().body());
      assertEquals("slow 2", next.replyText());
      assertEquals(List.of(List.of("2", "2")), db.rows("SELECT version, state->'slow'->>'count' FROM sessions "
          + "WHERE conversation = $1",
          Tuple.of(conversation)));
    } finally {
      if (paused) {
        a.resume();
      }
      if (opened != null) {
        opened.close();
      }
      if (b != null) {
        b.close();
      }
      a.close();
    }
  }

  /** {@code /gate}: waits until {@code ./gate-open} exists in the node's folder (at most 45 s), then lets through. */
  private static PluginJar gateSkill() {
    return new PluginJar().skill("com.example.gate.GateSkill", """
        package com.example.gate;
        import dev.switchboard.spi.*;
        import java.nio.file.Files;
        import java.nio.file.Path;
        public final class GateSkill implements Skill {
          public SkillDescriptor descriptor() {
            return SkillDescriptor.builder("gate").description("Waits for the gate").commands("gate").build();
          }
          public SkillResponse handle(Envelope e, SkillContext c) throws Exception {
            long until = System.nanoTime() + 45_000_000_000L;
            while (!Files.exists(Path.of("gate-open")) && System.nanoTime() < until) {
              Thread.sleep(20);
            }
            return SkillResponse.reply("through the gate");
          }
        }
        """);
  }

  private static PluginJar slowSkill() {
    return new PluginJar().skill("com.example.slow.SlowSkill", """
        package com.example.slow;
        import dev.switchboard.spi.*;
        public final class SlowSkill implements Skill {
          public SkillDescriptor descriptor() {
            return SkillDescriptor.builder("slow").description("Takes its time").commands("slow").build();
          }
          public SkillResponse handle(Envelope e, SkillContext c) throws Exception {
            System.err.println("slow skill started: " + e.id().value());
            System.err.flush();
            Thread.sleep(3000);
            int n = c.state().getInteger("count", 0) + 1;
            c.state().put("count", n);
            return SkillResponse.reply("slow " + n);
          }
        }
        """);
  }

  private static String messageId(String run, int conversation, int k) {
    return run + "-c" + conversation + "-m" + k;
  }

  private static String sender(String run, int conversation) {
    return run + "-sender-" + conversation;
  }

  private static String nodeId(GatewayProcess node) throws Exception {
    return Files.readString(node.dataDir().resolve("node-id")).strip();
  }

  /** Waits until each node holds half the shards. */
  /** A node on the shared PostgreSQL, with its own embedded Redis and the long skill timeout. */
  private static GatewayProcess node(String name, SharedStorage storage) throws Exception {
    return GatewayProcess.start(name, Map.of("SWITCHBOARD_POSTGRES_URL", storage.postgresUrl()), false,
        LONG_SKILL_TIMEOUT);
  }

  private static void awaitSplit(Db db, String nodeA, String nodeB) throws Exception {
    long split = awaitMillis(Duration.ofSeconds(30), () -> {
      Map<String, String> held = heldBy(db);
      return held.size() == 2 && "32".equals(held.get(nodeA)) && "32".equals(held.get(nodeB));
    });
    assertTrue(split >= 0, "the nodes did not split the shards 32/32 within 30 s: " + heldBy(db));
    System.out.printf("[takeover] shards split 32/32 between %s and %s%n", nodeA, nodeB);
  }

  private static Map<String, String> heldBy(Db db) {
    Map<String, String> held = new TreeMap<>();
    for (List<String> row : db.rows("SELECT owner, count(*) FROM shard_leases WHERE expires_at > now() "
        + "GROUP BY owner", Tuple.tuple())) {
      held.put(String.valueOf(row.get(0)), row.get(1));
    }
    return held;
  }

  private static String leases(Db db) {
    return heldBy(db).toString();
  }

  /** The node whose lease on {@code shard} is current, or {@code null}. */
  private static String owner(Db db, int shard) {
    List<List<String>> rows = db.rows("SELECT owner FROM shard_leases WHERE shard = $1 AND expires_at > now()",
        Tuple.of(shard));
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  private static String status(Db db, String messageId) {
    List<List<String>> rows = db.rows("SELECT status FROM inbound_messages WHERE message_id = $1",
        Tuple.of(messageId));
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  private static void awaitSkill(Api api, String name) throws Exception {
    long seen = awaitMillis(Duration.ofSeconds(10), () -> {
      Api.Answer answer = api.get("/admin/skills");
      return answer.status() == 200 && answer.json().getJsonArray("skills").stream().map(JsonObject.class::cast)
          .anyMatch(s -> name.equals(s.getString("name")) && "active".equals(s.getString("state")));
    });
    assertTrue(seen >= 0, "skill " + name + " not active: " + api.get("/admin/skills").raw().body());
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** How many milliseconds until {@code condition} held, or -1 if it did not within {@code timeout}. */
  private static long awaitMillis(Duration timeout, Condition condition) throws Exception {
    return awaitMillis(System.nanoTime(), timeout, condition);
  }

  /**
   * How many milliseconds after {@code since} (a {@link System#nanoTime()}) {@code condition} was seen to hold, or
   * -1 if it did not within {@code timeout} from now.
   */
  private static long awaitMillis(long since, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.holds()) {
        return millisSince(since);
      }
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(100);
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** Reads straight from the nodes' shared PostgreSQL. */
  private static final class Db implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Pool pool;

    Db(String url) {
      pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgConnectOptions.fromUri(url))
          .using(vertx).build();
    }

    /** Every row of {@code sql}, each column as text ({@code null} stays null). */
    List<List<String>> rows(String sql, Tuple params) {
      List<List<String>> rows = new ArrayList<>();
      for (Row row : pool.preparedQuery(sql).execute(params).await()) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          Object value = row.getValue(i);
          columns.add(value == null ? null : String.valueOf(value));
        }
        rows.add(columns);
      }
      return rows;
    }

    long count(String sql, Tuple params) {
      return Long.parseLong(rows(sql, params).get(0).get(0));
    }

    List<Integer> ints(String sql, Tuple params) {
      return rows(sql, params).stream().map(r -> Integer.valueOf(r.get(0))).toList();
    }

    @Override
    public void close() {
      pool.close().await();
      vertx.close().await();
    }
  }
}
