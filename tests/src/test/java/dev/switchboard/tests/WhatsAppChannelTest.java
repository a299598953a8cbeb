package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WhatsApp Cloud API channel end to end: the real gateway, Meta-signed notifications, a fake Graph API. */
class WhatsAppChannelTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void customersChatAndStatusesFollowOurReplies() throws Exception {
    try (FakeGraph graph = new FakeGraph();
         GatewayProcess gateway = GatewayProcess.start("whatsapp", graph.gatewayEnv())) {
      Api api = new Api(gateway);
      assertEquals(200, api.get("/health/ready").status());

      // verification: the challenge as plain text, only with the right token
      Api.Answer verified = api.get("/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
          + FakeGraph.VERIFY_TOKEN);
      assertEquals(200, verified.status());
      assertEquals("1158201444", verified.raw().body());
      assertTrue(verified.header("Content-Type").startsWith("text/plain"));
      assertEquals(403, api.get("/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope")
          .status());

      // the documented text message: answered as a contextual reply, and marked read
      String text = resource("whatsapp/wa_text.json");
      assertEquals(401, api.post("/whatsapp/webhook", text, Map.of()).status(), "unsigned");
      assertEquals(401, api.post("/whatsapp/webhook", text,
          Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64))).status(), "wrong signature");
      assertEquals(200, post(api, text).status());
      String wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
      JsonObject reply = graph.await(c -> wamid.equals(context(c)), WAIT);
      assertEquals("16505551234", reply.getString("to"));
      assertEquals(Api.FALLBACK_REPLY,
          reply.getJsonObject("text").getString("body"));
      waitFor(() -> graph.markedRead().stream().anyMatch(c -> wamid.equals(c.getString("message_id"))));

      // Meta retries for days: the same message again is accepted and not answered twice
      assertEquals(200, post(api, text).status());

      // a batch: a multi-turn todo, a photo with caption and a reaction in one notification
      JsonObject batch = notification(
          message("wamid.T1", "15550001111", "/todo add"),
          message("wamid.T2", "15550001111", "paint the fence"),
          new JsonObject(resource("whatsapp/wa_reaction.json")).getJsonArray("entry").getJsonObject(0)
              .getJsonArray("changes").getJsonObject(0).getJsonObject("value").getJsonArray("messages")
              .getJsonObject(0));
      assertEquals(200, post(api, batch.encode()).status());
      assertEquals("Added \"paint the fence\". You have 1 item.",
          graph.await(c -> "wamid.T2".equals(context(c)), WAIT).getJsonObject("text").getString("body"));

      // the interactive button reply of the docs is a callback routed like any message
      assertEquals(200, post(api, resource("whatsapp/wa_interactive_button_reply.json")).status());
      graph.await(c -> "wamid.ACCEPTANCE-BUTTON-0001".equals(context(c)), WAIT);

      // statuses of our reply, out of order: read, then a late delivered — read stays
      String ours = gateway.queryOne("SELECT platform_message_id FROM outbox o JOIN inbound_messages i "
          + "ON i.seq = o.inbound_seq WHERE i.message_id = 'wamid.T2'");
      assertTrue(ours.startsWith("wamid.SENT"), ours);
      assertEquals(200, post(api, statuses(ours, "read")).status());
      assertEquals(200, post(api, statuses(ours, "delivered")).status());
      assertEquals(200, post(api, statuses(ours, "read")).status(), "a repeated status is fine");
      assertEquals("read", gateway.queryOne("SELECT platform_status FROM outbox WHERE platform_message_id = '"
          + ours + "'"));

      // outside the 24-hour window: failed with a clear reason, not retried
      assertEquals(200, post(api, notification(message("wamid.OLD1", FakeGraph.OUT_OF_WINDOW, "/help")).encode())
          .status());
      graph.await(c -> "wamid.OLD1".equals(context(c)), WAIT);
      Thread.sleep(2000);
      assertEquals(1, graph.sent().stream().filter(c -> "wamid.OLD1".equals(context(c))).count());
      assertTrue(gateway.queryOne("SELECT o.status || ' ' || o.last_error FROM outbox o JOIN inbound_messages i "
          + "ON i.seq = o.inbound_seq WHERE i.message_id = 'wamid.OLD1'").startsWith("failed WhatsApp 131047"));

      // throttled (130429): backed off and retried
      graph.throttleSends.set(1);
      post(api, notification(message("wamid.THR1", "15550002222", "/todo list")).encode());
      graph.await(c -> "wamid.THR1".equals(context(c)) && c.getInteger("_status") == 200, WAIT);
      assertEquals(2, graph.sent().stream().filter(c -> "wamid.THR1".equals(context(c))).count());

      // a later 'failed' status marks our reply failed, with Meta's error
      String throttled = gateway.queryOne("SELECT platform_message_id FROM outbox o JOIN inbound_messages i "
          + "ON i.seq = o.inbound_seq WHERE i.message_id = 'wamid.THR1'");
      JsonObject failed = new JsonObject(statuses(throttled, "failed"));
      failed.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
          .getJsonArray("statuses").getJsonObject(0).put("errors", new JsonArray().add(new JsonObject()
              .put("code", 131026).put("title", "Message undeliverable")));
      assertEquals(200, post(api, failed.encode()).status());
      assertEquals("failed failed 131026 Message undeliverable", gateway.queryOne("SELECT status || ' ' || "
          + "platform_status || ' ' || last_error FROM outbox WHERE platform_message_id = '" + throttled + "'"));

      // a username user (no phone number, only a business-scoped id) still gets a conversation and an answer
      JsonObject username = message("wamid.U1", "", "/help").put("from_user_id", "US.1234567890abcdef");
      assertEquals(200, post(api, notification(username).encode()).status());
      JsonObject toUsername = graph.await(c -> "wamid.U1".equals(context(c)), WAIT);
      assertEquals("US.1234567890abcdef", toUsername.getString("recipient"));

      // a truncated body, validly signed: 400; nothing handled
      assertEquals(400, post(api, resource("whatsapp/wa_hostile_truncated.json")).status());
      assertEquals(1, graph.sent().stream().filter(c -> wamid.equals(context(c))).count(), "answered once");
      assertEquals("skipped message type reaction", gateway.queryOne("SELECT status || ' ' || error "
          + "FROM inbound_messages WHERE message_id = 'wamid.ACCEPTANCE-REACTION-0001'"));
    }
  }

  @Test
  void aConversationResumesAfterSigkill() throws Exception {
    try (FakeGraph graph = new FakeGraph();
         GatewayProcess gateway = GatewayProcess.start("whatsapp-restart", graph.gatewayEnv())) {
      Api api = new Api(gateway);
      assertEquals(200, post(api, notification(message("wamid.R1", "15550003333", "/todo add")).encode()).status());
      assertEquals("What should I add?",
          graph.await(c -> "wamid.R1".equals(context(c)), WAIT).getJsonObject("text").getString("body"));
      gateway.kill();
      gateway.restart();
      assertEquals(200, post(api, notification(message("wamid.R2", "15550003333", "buy stamps")).encode()).status());
      assertEquals("Added \"buy stamps\". You have 1 item.",
          graph.await(c -> "wamid.R2".equals(context(c)), WAIT).getJsonObject("text").getString("body"));
    }
  }

  private static Api.Answer post(Api api, String body) throws Exception {
    return api.post("/whatsapp/webhook", body, Map.of("X-Hub-Signature-256",
        "sha256=" + WebhookChannelTest.hmac(FakeGraph.APP_SECRET, body)));
  }

  private static String context(JsonObject sent) {
    JsonObject context = sent.getJsonObject("context");
    return context == null ? null : context.getString("message_id");
  }

  private static JsonObject message(String id, String from, String text) {
    return new JsonObject().put("from", from).put("id", id).put("timestamp", "1749416383").put("type", "text")
        .put("text", new JsonObject().put("body", text));
  }

  private static JsonObject notification(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject m : messages) {
      list.add(m);
    }
    return wrap(new JsonObject().put("messages", list));
  }

  private static String statuses(String id, String status) {
    return wrap(new JsonObject().put("statuses", new JsonArray().add(new JsonObject().put("id", id)
        .put("status", status).put("timestamp", "1750263773").put("recipient_id", "15550001111")))).encode();
  }

  private static JsonObject wrap(JsonObject value) {
    value.put("messaging_product", "whatsapp").put("metadata", new JsonObject()
        .put("display_phone_number", "15550783881").put("phone_number_id", FakeGraph.PHONE_ID));
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(
        new JsonObject().put("id", "102290129340398").put("changes", new JsonArray().add(
            new JsonObject().put("field", "messages").put("value", value)))));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(50);
    }
  }

  private static String resource(String path) throws Exception {
    try (InputStream in = WhatsAppChannelTest.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
