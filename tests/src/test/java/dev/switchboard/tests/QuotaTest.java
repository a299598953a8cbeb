package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-sender quotas (token buckets in Redis): a webhook caller over its quota gets 429 with Retry-After and
 * nothing is recorded; a Telegram user over it has every message recorded, is told once to slow down, and
 * reaches no skill; other senders are served meanwhile.
 */
class QuotaTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SLOW_DOWN = "You're sending messages faster than I can answer them. Please wait a "
      + "moment before sending more.";

  @Test
  void aFloodingSenderIsHeldBackAndOthersAreServed() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram()) {
      Map<String, String> env = new HashMap<>(telegram.gatewayEnv());
      // three at once, then one a minute: nothing refills while the test runs
      env.put("SWITCHBOARD_LIMITS_SENDER_PER_MINUTE", "1");
      env.put("SWITCHBOARD_LIMITS_SENDER_BURST", "3");
      try (GatewayProcess gateway = GatewayProcess.start("quota", env)) {
        Api api = new Api(gateway);

        // the webhook: three accepted, then 429 with Retry-After, while another sender is answered
        for (int i = 1; i <= 6; i++) {
          Api.Answer answer = api.post("/v1/messages?wait=0", new JsonObject().put("id", "flood-" + i)
              .put("sender", new JsonObject().put("id", "flood")).put("text", "/help"));
          if (i <= 3) {
            assertEquals(202, answer.status(), answer.raw().body());
          } else {
            assertEquals(429, answer.status(), answer.raw().body());
            assertEquals("rate_limited", answer.json().getJsonObject("error").getString("code"));
            long retryAfter = Long.parseLong(answer.raw().headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
          }
        }
        assertEquals(200, api.send("calm", "/help").status(), "another sender is served");
        assertEquals("3", gateway.queryOne(
            "SELECT count(*) FROM inbound_messages WHERE channel = 'webhook' AND message_id LIKE 'flood-%'"),
            "what was refused was not recorded");

        // Telegram: six messages, all recorded; three answered, one "slow down", two silent
        long chat = 6962620676L;
        long user = 5964236329L;
        for (int i = 0; i < 6; i++) {
          telegram.push(update(i + 1, chat, user, "/help"));
        }
        String handled = "SELECT count(*) FROM inbound_messages WHERE channel = 'telegram' AND status <> 'accepted'";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!gateway.queryOne(handled).equals("6") && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertEquals("6", gateway.queryOne(handled), "every message is on record and handled");
        telegram.await("sendMessage", c -> SLOW_DOWN.equals(c.getString("text")), WAIT);
        Thread.sleep(1000); // nothing else is on its way
        List<String> sent = telegram.calls("sendMessage").stream().map(c -> c.getString("text")).toList();
        assertEquals(4, sent.size(), sent.toString());
        assertEquals(1, sent.stream().filter(SLOW_DOWN::equals).count(), "told once: " + sent);
        assertEquals(SLOW_DOWN, sent.get(3), "after the three that were let through: " + sent);
      }
    }
  }

  private static JsonObject update(int messageId, long chat, long user, String text) {
    return new JsonObject().put("message", new JsonObject().put("message_id", messageId).put("date", 1721592580)
        .put("from", new JsonObject().put("id", user).put("is_bot", false).put("first_name", "Flood"))
        .put("chat", new JsonObject().put("id", chat).put("type", "private")).put("text", text)
        .put("entities", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "bot_command")
            .put("offset", 0).put("length", text.length()))));
  }
}
