package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Telegram channel end to end: the real gateway process against a fake Bot API on loopback. */
class TelegramChannelTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger MESSAGE_IDS = new AtomicInteger(100);
  private static final long USER = 5964236329L;

  @Test
  void chatWithTheBotByLongPolling() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram();
         GatewayProcess gateway = GatewayProcess.start("telegram-polling", telegram.gatewayEnv())) {
      Api api = new Api(gateway);
      assertTrue(gateway.stdout().contains("telegram @ExampleGatewayBot (long polling)"), gateway.stdout());
      assertEquals(200, api.get("/health/ready").status());
      telegram.await("deleteWebhook", c -> true, WAIT);

      // a private chat: /help, answered as a reply in the same chat
      long chat = USER;
      int help = send(telegram, privateText(chat, "/help"));
      JsonObject reply = telegram.await("sendMessage", c -> replyTo(c) == help, WAIT);
      assertEquals(chat, reply.getLong("chat_id"));
      assertTrue(reply.getString("text").startsWith("Here is what I can do:"), reply.encode());
      assertTrue(reply.getJsonObject("reply_parameters").getBoolean("allow_sending_without_reply"));

      // a duplicate delivery of the same message (new update id) is answered once
      JsonObject again = privateText(chat, "/todo add only once");
      int first = send(telegram, again);
      telegram.push(again); // same chat and message_id
      int marker = send(telegram, privateText(chat, "/todo list"));
      JsonObject list = telegram.await("sendMessage", c -> replyTo(c) == marker, WAIT);
      assertEquals("Your list:\n1. only once", list.getString("text"));
      assertEquals(1, telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == first).count());

      // a group: another bot's command and chatter are ignored, our command is answered
      long group = -1001293752024L;
      int other = send(telegram, groupText(group, "/report@OtherBot spam", 0, 21));
      int chatter = send(telegram, groupText(group, "just chatting", -1, 0));
      int ours = send(telegram, groupText(group, "/help@" + FakeTelegram.BOT_USERNAME, 0, 23));
      JsonObject groupReply = telegram.await("sendMessage", c -> replyTo(c) == ours, WAIT);
      assertEquals(group, groupReply.getLong("chat_id"));
      assertEquals(0, telegram.calls("sendMessage").stream()
          .filter(c -> replyTo(c) == other || replyTo(c) == chatter).count());

      // a forum topic: the answer goes to the same topic; the topic's creation message is not a reply target
      JsonObject topic = groupText(group, "/todo list", 0, 5);
      topic.getJsonObject("message").put("message_thread_id", 7).put("is_topic_message", true)
          .put("reply_to_message", new JsonObject().put("message_id", 7).put("date", 1721592000)
              .put("chat", new JsonObject().put("id", group).put("type", "supergroup"))
              .put("forum_topic_created", new JsonObject().put("name", "Ideas").put("icon_color", 7322096)));
      int inTopic = send(telegram, topic);
      JsonObject topicReply = telegram.await("sendMessage", c -> replyTo(c) == inTopic, WAIT);
      assertEquals(7, topicReply.getInteger("message_thread_id"));

      // a button press is answered (spinner stops) and routed
      telegram.push(new JsonObject().put("callback_query", new JsonObject().put("id", "4382bfdwdsb323b2d9")
          .put("from", user()).put("chat_instance", "-1").put("data", "pressed")
          .put("message", new JsonObject().put("message_id", 11).put("date", 1721592000)
              .put("chat", new JsonObject().put("id", chat).put("type", "private")))));
      telegram.await("answerCallbackQuery", c -> "4382bfdwdsb323b2d9".equals(c.getString("callback_query_id")), WAIT);
      JsonObject pressed = telegram.await("sendMessage", c -> replyTo(c) == -1, WAIT);
      assertEquals(chat, pressed.getLong("chat_id"));
      assertEquals(Api.FALLBACK_REPLY, pressed.getString("text"));

      // 429 with retry_after: the reply waits and goes out once
      telegram.rateLimitSends.set(1);
      int limited = send(telegram, privateText(chat, "/todo list"));
      JsonObject late = telegram.await("sendMessage", c -> replyTo(c) == limited && c.getInteger("_status") == 200,
          WAIT);
      assertEquals(List.of(429, 200), telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == limited)
          .map(c -> c.getInteger("_status")).toList(), "refused once with 429, then delivered once");
      assertEquals("Your list:\n1. only once", late.getString("text"));

      // 400 chat not found: recorded as failed, not retried
      int lost = send(telegram, privateText(FakeTelegram.UNKNOWN_CHAT, "/help"));
      telegram.await("sendMessage", c -> replyTo(c) == lost, WAIT);
      Thread.sleep(3000);
      assertEquals(1, telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == lost).count());
      assertEquals("failed Telegram 400: Bad Request: chat not found", gateway.queryOne("SELECT o.status || ' ' "
          + "|| o.last_error FROM outbox o JOIN inbound_messages i ON i.seq = o.inbound_seq "
          + "WHERE i.message_id = '" + FakeTelegram.UNKNOWN_CHAT + ":" + lost + "'"));

      // another program polls the same token: 409s are backed off, not hammered, and polling recovers
      telegram.otherPoller.set(true);
      int before = telegram.calls("getUpdates").size();
      Thread.sleep(6000);
      int during = telegram.calls("getUpdates").size() - before;
      assertTrue(during <= 5, during + " getUpdates calls in 6 s while conflicting");
      telegram.otherPoller.set(false);
      int after = send(telegram, privateText(chat, "/help"));
      telegram.await("sendMessage", c -> replyTo(c) == after, WAIT);
    }
  }

  @Test
  void readinessSaysSoWhenTelegramRejectsTheToken() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram();
         GatewayProcess gateway = GatewayProcess.start("telegram-bad-token", Map.of(
             "TELEGRAM_BOT_TOKEN", "999:TEST-revoked-token",
             "SWITCHBOARD_CHANNELS_TELEGRAM_API_BASE_URL", telegram.baseUrl()))) {
      Api.Answer ready = new Api(gateway).get("/health/ready");
      assertEquals(503, ready.status(), ready.raw().body());
      assertEquals("getMe failed: Unauthorized",
          ready.json().getJsonObject("error").getJsonObject("channels").getString("telegram"));
    }
  }

  @Test
  void todoQuestionIsAnsweredAfterSigkillAndRestart() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram();
         GatewayProcess gateway = GatewayProcess.start("telegram-restart", telegram.gatewayEnv())) {
      long chat = 6962620676L;
      int ask = send(telegram, privateText(chat, "/todo add"));
      assertEquals("What should I add?", telegram.await("sendMessage", c -> replyTo(c) == ask, WAIT).getString("text"));
      gateway.kill();
      gateway.restart();
      int answer = send(telegram, privateText(chat, "oat milk"));
      assertEquals("Added \"oat milk\". You have 1 item.",
          telegram.await("sendMessage", c -> replyTo(c) == answer, WAIT).getString("text"));
    }
  }

  @Test
  void oneNodePollsABotTokenAndAnotherTakesOverWhenItDies() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram();
         SharedStorage storage = SharedStorage.start("telegram-nodes-storage")) {
      // both nodes share one PostgreSQL and Redis
      Map<String, String> shared = new java.util.HashMap<>(telegram.gatewayEnv());
      shared.put("SWITCHBOARD_POSTGRES_URL", storage.postgresUrl());
      shared.put("SWITCHBOARD_REDIS_URL", storage.redisUrl());
      GatewayProcess a = GatewayProcess.start("telegram-node-a", shared);
      try {
        try (GatewayProcess b = GatewayProcess.start("telegram-node-b", shared)) {
          int first = send(telegram, privateText(USER, "/help"));
          telegram.await("sendMessage", c -> replyTo(c) == first, WAIT);
          Thread.sleep(3000);
          assertEquals(0, telegram.conflicts.get(), "never two getUpdates at once on one token");

          a.kill(); // the poller dies without giving its lease back; b takes over when the lease runs out
          int second = send(telegram, privateText(USER, "/todo list"));
          telegram.await("sendMessage", c -> replyTo(c) == second, Duration.ofSeconds(60));
          assertEquals(1, telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == first).count());
          assertEquals(1, telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == second).count());
        }
      } finally {
        a.close();
      }
    }
  }

  @Test
  void webhookModeChecksTheSecretAndRecordsBeforeAnswering() throws Exception {
    String secret = "test-webhook-secret_not-real";
    try (FakeTelegram telegram = new FakeTelegram();
         GatewayProcess gateway = GatewayProcess.start("telegram-webhook", Map.of(
             "TELEGRAM_BOT_TOKEN", FakeTelegram.TOKEN,
             "SWITCHBOARD_CHANNELS_TELEGRAM_API_BASE_URL", telegram.baseUrl(),
             "SWITCHBOARD_CHANNELS_TELEGRAM_MODE", "webhook",
             "SWITCHBOARD_CHANNELS_TELEGRAM_WEBHOOK_URL", "https://bot.example.invalid/telegram/webhook",
             "SWITCHBOARD_CHANNELS_TELEGRAM_WEBHOOK_SECRET", secret))) {
      Api api = new Api(gateway);
      JsonObject registered = telegram.await("setWebhook", c -> true, WAIT);
      assertEquals(secret, registered.getString("secret_token"));
      assertEquals(0, telegram.calls("getUpdates").size(), "no polling in webhook mode");

      JsonObject update = privateText(USER, "/help").put("update_id", 42);
      int messageId = update.getJsonObject("message").getInteger("message_id");
      Api.Answer wrong = api.post("/telegram/webhook", update.encode(),
          Map.of("X-Telegram-Bot-Api-Secret-Token", "guess"));
      assertEquals(401, wrong.status());
      assertEquals(401, api.post("/telegram/webhook", update.encode(), Map.of()).status());
      assertEquals(400, api.post("/telegram/webhook", "{\"update_id\": 1, \"message\": {\"chat\"",
          Map.of("X-Telegram-Bot-Api-Secret-Token", secret)).status());

      Api.Answer ok = api.post("/telegram/webhook", update.encode(), Map.of("X-Telegram-Bot-Api-Secret-Token", secret));
      assertEquals(200, ok.status());
      // Telegram retries the same update: acknowledged again, answered once
      assertEquals(200, api.post("/telegram/webhook", update.encode(),
          Map.of("X-Telegram-Bot-Api-Secret-Token", secret)).status());
      telegram.await("sendMessage", c -> replyTo(c) == messageId, WAIT);
      // an update type we do not handle is acknowledged, not an error
      assertEquals(200, api.post("/telegram/webhook", new JsonObject().put("update_id", 43)
              .put("poll", new JsonObject().put("id", "1").put("question", "?")).encode(),
          Map.of("X-Telegram-Bot-Api-Secret-Token", secret)).status());
      Thread.sleep(1000);
      assertEquals(1, telegram.calls("sendMessage").stream().filter(c -> replyTo(c) == messageId).count());
      // ...and it is on record as skipped, with the reason
      assertEquals("skipped unsupported update type", gateway.queryOne(
          "SELECT status || ' ' || error FROM inbound_messages WHERE message_id = 'update:43'"));
    }
  }

  private static int send(FakeTelegram telegram, JsonObject update) {
    telegram.push(update);
    return update.getJsonObject("message").getInteger("message_id");
  }

  private static long replyTo(JsonObject sendMessage) {
    JsonObject p = sendMessage.getJsonObject("reply_parameters");
    return p == null ? -1 : p.getLong("message_id");
  }

  private static JsonObject user() {
    return new JsonObject().put("id", USER).put("is_bot", false).put("first_name", "Test").put("username", "tester");
  }

  private static JsonObject privateText(long chat, String text) {
    JsonObject message = new JsonObject().put("message_id", MESSAGE_IDS.incrementAndGet()).put("date", 1721592580)
        .put("from", user()).put("chat", new JsonObject().put("id", chat).put("type", "private"))
        .put("text", text);
    if (text.startsWith("/")) {
      int end = text.indexOf(' ') < 0 ? text.length() : text.indexOf(' ');
      message.put("entities", new JsonArray().add(new JsonObject().put("type", "bot_command").put("offset", 0)
          .put("length", end)));
    }
    return new JsonObject().put("message", message);
  }

  /** A group message; a command entity of {@code length} at {@code offset} when offset is not negative. */
  private static JsonObject groupText(long chat, String text, int offset, int length) {
    JsonObject message = new JsonObject().put("message_id", MESSAGE_IDS.incrementAndGet()).put("date", 1721592580)
        .put("from", user()).put("chat", new JsonObject().put("id", chat).put("type", "supergroup")
            .put("title", "Test group"))
        .put("text", text);
    if (offset >= 0) {
      message.put("entities", new JsonArray().add(new JsonObject().put("type", "bot_command")
          .put("offset", offset).put("length", length)));
    }
    return new JsonObject().put("message", message);
  }
}
