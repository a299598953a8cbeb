package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The webhook channel end to end: a real gateway process on real PostgreSQL and Redis, called like curl. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookChannelTest {
  private static final String CALLBACK_SECRET = "test-callback-secret-not-real";
  private GatewayProcess gateway;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayProcess.start("webhook", Map.of(
        "SWITCHBOARD_CHANNELS_WEBHOOK_CALLBACK_SECRET", CALLBACK_SECRET,
        // the test's callback receivers listen on loopback, which callbacks may reach only when allowed
        "SWITCHBOARD_CHANNELS_WEBHOOK_CALLBACK_ALLOW", "127.0.0.1"));
    api = new Api(gateway);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void bannerSaysWhereAndWhat() throws Exception {
    String banner = gateway.stdout();
    assertTrue(banner.contains("is ready on http://localhost:" + gateway.uri("/").getPort()), banner);
    assertTrue(banner.contains("webhook (POST /v1/messages, callers on this machine only until "
        + "channels.webhook.tokens is set)"), banner);
    assertTrue(banner.contains("admin:    " + gateway.adminToken()), "a generated admin token is shown once");
    assertTrue(banner.contains("skills:   chat, faq, help, todo"), banner);
    assertTrue(banner.contains("plugins: drop a JAR or a SKILL.md folder into"), banner);
    assertTrue(banner.contains("storage:"), banner);
  }

  @Test
  void helpRoundTripAndStatusLookup() throws Exception {
    Api.Answer answer = api.send("alice", "/help");
    assertEquals(200, answer.status(), answer.raw().body());
    JsonObject json = answer.json();
    assertEquals("replied", json.getString("status"));
    assertEquals("alice", json.getString("conversation"));
    String help = answer.replyText();
    assertTrue(help.contains("/todo") && help.contains("/help"), help);
    assertEquals(new JsonObject().put("skill", "help").put("reason", "command"), json.getJsonObject("route"));

    Api.Answer status = api.get("/v1/messages/" + json.getString("id"));
    assertEquals(200, status.status());
    assertEquals(help, status.replyText());
    assertEquals("replied", status.json().getString("status"));
  }

  @Test
  void unknownInputGetsAHintToHelp() throws Exception {
    Api.Answer answer = api.send("carol", "what is the weather like");
    assertEquals(200, answer.status());
    assertEquals(Api.FALLBACK_REPLY, answer.replyText());
    assertEquals("fallback", answer.json().getJsonObject("route").getString("reason"));
  }

  @Test
  void oddButValidTextIsAnsweredNotRejected() throws Exception {
    for (String text : new String[] {"/", "/ todo", "//", "/todo@somebot list", "/тодо", "\u0007 bell", "😀"}) {
      Api.Answer answer = api.send("olga", text);
      assertEquals(200, answer.status(), text + " -> " + answer.raw().body());
      assertEquals("replied", answer.json().getString("status"), text);
      // not a command of ours: the fallback, or a skill close in meaning ("/ todo" reads like todo)
      assertTrue(List.of("fallback", "semantic").contains(answer.json().getJsonObject("route").getString("reason")),
          text + " -> " + answer.raw().body());
    }
  }

  @Test
  void todoIsMultiTurnWithinOneConversation() throws Exception {
    assertEquals("What should I add?", api.send("dave", "/todo add").replyText());
    Api.Answer added = api.send("dave", "buy oat milk");
    assertEquals("Added \"buy oat milk\". You have 1 item.", added.replyText());
    assertEquals("active", added.json().getJsonObject("route").getString("reason"));
    assertEquals("Added \"call the bank\". You have 2 items.", api.send("dave", "/todo add call the bank").replyText());
    assertEquals("Done: \"buy oat milk\". 1 left.", api.send("dave", "/todo done 1").replyText());
    assertEquals("Your list:\n1. call the bank", api.send("dave", "/todo list").replyText());
    // another conversation has its own list
    assertEquals("Your list is empty. Add something with /todo add <item>.", api.send("erin", "/todo list").replyText());
  }

  @Test
  void repeatedIdIsAnsweredAsDuplicateAndHandledOnce() throws Exception {
    JsonObject body = new JsonObject().put("id", "dup-1").put("sender", new JsonObject().put("id", "frank"))
        .put("text", "/todo add only once");
    Api.Answer first = api.post("/v1/messages", body);
    Api.Answer second = api.post("/v1/messages", body);
    assertEquals(200, first.status());
    assertNull(first.json().getValue("duplicate"));
    assertEquals(200, second.status());
    assertEquals(true, second.json().getBoolean("duplicate"));
    assertEquals(first.replyText(), second.replyText());
    assertEquals("Added \"only once\". You have 1 item.", second.replyText());

    // the Idempotency-Key header is the same thing
    String headerBody = new JsonObject().put("sender", new JsonObject().put("id", "frank"))
        .put("text", "/todo add by header").encode();
    api.post("/v1/messages", headerBody, Map.of("Idempotency-Key", "dup-2"));
    Api.Answer again = api.post("/v1/messages", headerBody, Map.of("Idempotency-Key", "dup-2"));
    assertEquals(true, again.json().getBoolean("duplicate"));
    assertEquals("dup-2", again.json().getString("id"));

    assertEquals("Your list:\n1. only once\n2. by header", api.send("frank", "/todo list").replyText());
  }

  @Test
  void waitZeroAcceptsAtOnceAndTheReplyCanBeFetched() throws Exception {
    String body = new JsonObject().put("id", "later-1").put("sender", new JsonObject().put("id", "gina"))
        .put("text", "/help").encode();
    Api.Answer accepted = api.post("/v1/messages?wait=0", body, Map.of());
    assertEquals(202, accepted.status());
    assertEquals("accepted", accepted.json().getString("status"));
    assertEquals("/v1/messages/later-1", accepted.json().getString("status_url"));
    Api.Answer status = poll("/v1/messages/later-1", Duration.ofSeconds(20));
    assertEquals("replied", status.json().getString("status"));
    assertTrue(status.replyText().startsWith("Here is what I can do:"));
  }

  @Test
  void repliesArePostedSignedToTheCallbackUrlWithRetries() throws Exception {
    List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    AtomicInteger count = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      calls.add(Map.of(
          "body", body,
          "signature", exchange.getRequestHeaders().getFirst("X-Switchboard-Signature"),
          "timestamp", exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp"),
          "delivery", exchange.getRequestHeaders().getFirst("X-Switchboard-Delivery")));
      int status = count.incrementAndGet() == 1 ? 503 : 200; // the first try fails like a busy receiver
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      Api.Answer answer = api.post("/v1/messages", new JsonObject().put("id", "cb-1")
          .put("sender", new JsonObject().put("id", "hank")).put("text", "/todo list").put("callback_url", url));
      assertEquals(200, answer.status());

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (calls.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(2, calls.size(), "one failed try, one retry");
      Map<String, String> delivered = calls.get(1);
      assertEquals(calls.get(0).get("delivery"), delivered.get("delivery"), "a retry keeps its delivery id");
      JsonObject body = new JsonObject(delivered.get("body"));
      assertEquals("cb-1", body.getString("id"));
      assertEquals("hank", body.getString("conversation"));
      assertEquals("Your list is empty. Add something with /todo add <item>.",
          body.getJsonObject("reply").getString("text"));
      assertEquals("v1=" + hmac(CALLBACK_SECRET, delivered.get("timestamp") + "." + delivered.get("body")),
          delivered.get("signature"));
      Thread.sleep(1500);
      assertEquals(2, calls.size(), "delivered once, not again");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aHangingCallbackTargetDoesNotHoldOtherConversationsBack() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HttpServer hanging = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    hanging.createContext("/hook", exchange -> {
      try {
        release.await(); // never answers while the test runs: the gateway's 10 s time-out ends each try
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    List<Long> prompt = new CopyOnWriteArrayList<>();
    HttpServer fast = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fast.createContext("/hook", exchange -> {
      prompt.add(System.nanoTime());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hanging.start();
    fast.start();
    try {
      // more replies to the hanging target than the outbox delivers at once (64)
      String slow = "http://127.0.0.1:" + hanging.getAddress().getPort() + "/hook";
      for (int i = 0; i < 70; i++) {
        assertEquals(202, api.post("/v1/messages?wait=0", new JsonObject().put("sender", new JsonObject()
            .put("id", "hung-" + i)).put("text", "/help").put("callback_url", slow)).status());
      }
      Thread.sleep(1000); // their deliveries are under way and hanging
      long sent = System.nanoTime();
      assertEquals(202, api.post("/v1/messages?wait=0", new JsonObject().put("sender", new JsonObject()
          .put("id", "prompt")).put("text", "/help")
          .put("callback_url", "http://127.0.0.1:" + fast.getAddress().getPort() + "/hook")).status());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (prompt.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, prompt.size());
      assertTrue(prompt.get(0) - sent < Duration.ofSeconds(5).toNanos(),
          "delivered at once, not after the hanging target's time-outs: "
              + Duration.ofNanos(prompt.get(0) - sent).toMillis() + " ms");
    } finally {
      release.countDown();
      hanging.stop(0);
      fast.stop(0);
    }
  }

  @Test
  void messagesOfEachConversationAreHandledInOrderUnderConcurrentLoad() throws Exception {
    int conversations = 20;
    int perConversation = 10;
    String run = "order-" + System.nanoTime();
    List<CompletableFuture<List<String>>> senders = new ArrayList<>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(conversations);
    for (int c = 0; c < conversations; c++) {
      String sender = run + "-" + c;
      // each conversation sends in sequence (each POST acked before the next: that is arrival order);
      // the twenty conversations send at the same time
      senders.add(CompletableFuture.supplyAsync(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < perConversation; i++) {
          String id = sender + "-m" + i;
          String body = new JsonObject().put("id", id).put("sender", new JsonObject().put("id", sender))
              .put("text", "/todo add item " + i).encode();
          Api.Answer ack = api.postAsync("/v1/messages?wait=0", body, Map.of()).join();
          if (ack.status() != 202) {
            throw new AssertionError("ack " + ack.status() + " " + ack.raw().body());
          }
          ids.add(id);
        }
        return ids;
      }, pool));
    }
    for (int c = 0; c < conversations; c++) {
      List<String> ids = senders.get(c).get();
      for (int i = 0; i < perConversation; i++) {
        Api.Answer status = poll("/v1/messages/" + ids.get(i), Duration.ofSeconds(60));
        assertEquals("Added \"item " + i + "\". You have " + (i + 1) + (i == 0 ? " item." : " items."),
            status.replyText(), "message " + i + " of conversation " + c + " was handled in its place");
        assertEquals(1, status.json().getJsonArray("replies").size());
      }
      StringBuilder expected = new StringBuilder("Your list:");
      for (int i = 0; i < perConversation; i++) {
        expected.append('\n').append(i + 1).append(". item ").append(i);
      }
      assertEquals(expected.toString(), api.send(run + "-" + c, "/todo list").replyText());
    }
    pool.shutdown();
  }

  @Test
  void healthAndAdmin() throws Exception {
    assertEquals(200, api.get("/health/live").status());
    Api.Answer ready = api.get("/health/ready");
    assertEquals(200, ready.status());
    assertEquals("ready", ready.json().getString("status"));
    Api.Answer skills = api.get("/admin/skills");
    assertEquals(200, skills.status());
    JsonArray list = skills.json().getJsonArray("skills");
    assertEquals(List.of("chat", "faq", "help", "todo"),
        list.stream().map(o -> ((JsonObject) o).getString("name")).toList());
    assertEquals(new JsonArray().add("/todo"), list.getJsonObject(3).getJsonArray("commands"));
  }

  private Api.Answer poll(String path, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Api.Answer answer;
    do {
      answer = api.get(path);
      assertEquals(200, answer.status(), answer.raw().body());
      if (!"accepted".equals(answer.json().getString("status"))) {
        return answer;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(path + " still accepted after " + timeout);
  }

  static String hmac(String secret, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
