package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Slack channel over the Events API: the real gateway, signed requests, a fake Web API on loopback. */
class SlackChannelTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void mentionsAndDirectMessagesOverTheEventsApi() throws Exception {
    try (FakeSlack slack = new FakeSlack();
         GatewayProcess gateway = GatewayProcess.start("slack-events", slack.gatewayEnv())) {
      Api api = new Api(gateway);
      assertEquals(200, api.get("/health/ready").status());
      assertTrue(gateway.stdout().contains("slack (POST /slack/events, /slack/commands, /slack/interactivity)"), gateway.stdout());

      // url_verification is answered only when signed
      String challenge = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":"
          + "\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";
      Api.Answer verified = post(api, challenge, Map.of());
      assertEquals(200, verified.status());
      assertEquals("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", verified.json().getString("challenge"));
      assertEquals(401, api.post("/slack/events", challenge, Map.of()).status(), "unsigned");
      Map<String, String> forged = new HashMap<>(sign(challenge, Instant.now().getEpochSecond()));
      forged.put("X-Slack-Signature", forged.get("X-Slack-Signature").replace('a', 'b').replace('1', '2'));
      assertEquals(401, api.post("/slack/events", challenge, forged).status(), "wrong signature");
      long stale = Instant.now().minusSeconds(600).getEpochSecond();
      assertEquals(401, api.post("/slack/events", challenge, sign(challenge, stale)).status(), "replayed, too old");

      // the documented app_mention: answered in a thread under it, with Slack's escaping
      String mention = resource("slack/slack_event_app_mention.json");
      assertEquals(200, post(api, mention, Map.of()).status());
      JsonObject reply = slack.await("chat.postMessage", c -> "1515449522.000016".equals(c.getString("thread_ts")),
          WAIT);
      assertEquals("C123ABC456", reply.getString("channel"));
      assertEquals(Api.FALLBACK_REPLY, reply.getString("text"));

      // a retry of the same event, and the same message delivered as a message event: handled once
      assertEquals(200, post(api, mention, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason",
          "http_timeout")).status());
      JsonObject asMessage = new JsonObject(mention).put("event_id", "Ev999MESSAGE");
      asMessage.getJsonObject("event").put("type", "message").put("channel_type", "channel");
      assertEquals(200, post(api, asMessage.encode(), Map.of()).status());

      // a direct message: answered in the DM
      assertEquals(200, post(api, resource("slack/slack_event_message_im.json"), Map.of()).status());
      JsonObject dm = slack.await("chat.postMessage", c -> "D024BE91L".equals(c.getString("channel")), WAIT);
      assertEquals(null, dm.getString("thread_ts"));

      // a thread conversation keeps its state: /todo add, then the answer in the same thread
      String thread = "1700000001.000100";
      post(api, message("Ev1", "C555", "1700000001.000200", thread, "<@U0LAN0Z89> /todo add"), Map.of());
      slack.await("chat.postMessage", c -> "What should I add?".equals(c.getString("text")), WAIT);
      post(api, message("Ev2", "C555", "1700000001.000300", thread, "<@U0LAN0Z89> ship <the> release & party"),
          Map.of());
      JsonObject added = slack.await("chat.postMessage", c -> c.getString("text").startsWith("Added"), WAIT);
      assertEquals("Added \"ship <the> release & party\". You have 1 item.".replace("&", "&amp;")
          .replace("<", "&lt;").replace(">", "&gt;"), added.getString("text"), "escaped for Slack");
      assertEquals(thread, added.getString("thread_ts"));

      // the bot's own messages, bot messages and edits are not new messages
      JsonObject own = new JsonObject(message("Ev3", "C555", "1700000001.000400", null, "<@U0LAN0Z89> /help"));
      own.getJsonObject("event").put("user", FakeSlack.BOT_USER);
      JsonObject edit = new JsonObject(message("Ev4", "C555", "1700000001.000500", null, "<@U0LAN0Z89> /help"));
      edit.getJsonObject("event").put("subtype", "message_changed");
      assertEquals(200, post(api, own.encode(), Map.of()).status());
      assertEquals(200, post(api, edit.encode(), Map.of()).status());

      // a 429 with Retry-After: the reply waits and goes out
      slack.rateLimitPosts.set(1);
      post(api, message("Ev5", "C777", "1700000002.000100", null, "<@U0LAN0Z89> /todo list"), Map.of());
      slack.await("chat.postMessage", c -> "C777".equals(c.getString("channel")) && c.getInteger("_status") == 200,
          WAIT);
      // ok:false channel_not_found: recorded as failed, not retried
      post(api, message("Ev6", FakeSlack.MISSING_CHANNEL, "1700000003.000100", null, "<@U0LAN0Z89> /help"),
          Map.of());
      slack.await("chat.postMessage", c -> FakeSlack.MISSING_CHANNEL.equals(c.getString("channel")), WAIT);

      // a button click (as Slack sends it: form-encoded payload): recorded, acked empty, routed in its channel
      String click = resource("slack/slack_block_actions.txt");
      Map<String, String> form = new HashMap<>(sign(click, Instant.now().getEpochSecond()));
      form.put("Content-Type", "application/x-www-form-urlencoded");
      Api.Answer clicked = api.post("/slack/interactivity", click, form);
      assertEquals(200, clicked.status());
      assertEquals("", clicked.raw().body());
      JsonObject clickReply = slack.await("chat.postMessage", c -> "C111".equals(c.getString("channel")), WAIT);
      assertEquals(Api.FALLBACK_REPLY, clickReply.getString("text"));
      assertEquals("callback", gateway.queryOne("SELECT envelope->'content'->>'type' || ' ' "
          + "|| (envelope->'content'->>'data') FROM inbound_messages WHERE message_id = 'action:111.222.valid'")
          .split(" ")[0]);
      assertEquals(401, api.post("/slack/interactivity", click, Map.of("Content-Type",
          "application/x-www-form-urlencoded")).status());

      // a truncated body, validly signed: 400, nothing handled
      assertEquals(400, post(api, resource("slack/slack_hostile_truncated.json"), Map.of()).status());

      Thread.sleep(2000);
      assertEquals(1, slack.calls("chat.postMessage").stream()
          .filter(c -> "1515449522.000016".equals(c.getString("thread_ts"))).count(), "the mention answered once");
      assertEquals(List.of(429, 200), slack.calls("chat.postMessage").stream()
          .filter(c -> "C777".equals(c.getString("channel"))).map(c -> c.getInteger("_status")).toList());
      assertEquals(1, slack.calls("chat.postMessage").stream()
          .filter(c -> FakeSlack.MISSING_CHANNEL.equals(c.getString("channel"))).count());
      assertEquals(0, slack.calls("chat.postMessage").stream()
          .filter(c -> "C555".equals(c.getString("channel")) && c.getString("thread_ts") == null).count(),
          "nothing for the bot's own message or the edit");
      assertEquals("failed Slack: channel_not_found", gateway.queryOne("SELECT o.status || ' ' || o.last_error "
          + "FROM outbox o JOIN inbound_messages i ON i.seq = o.inbound_seq "
          + "WHERE i.message_id = 'C0MISSING:1700000003.000100'"));
    }
  }

  private static Api.Answer post(Api api, String body, Map<String, String> extra) throws Exception {
    Map<String, String> headers = new HashMap<>(sign(body, Instant.now().getEpochSecond()));
    headers.putAll(extra);
    return api.post("/slack/events", body, headers);
  }

  /** Slack's v0 signature over the exact body bytes. */
  private static Map<String, String> sign(String body, long timestamp) throws Exception {
    String signature = "v0=" + WebhookChannelTest.hmac(FakeSlack.SIGNING_SECRET, "v0:" + timestamp + ":" + body);
    return Map.of("X-Slack-Request-Timestamp", Long.toString(timestamp), "X-Slack-Signature", signature);
  }

  private static String message(String eventId, String channel, String ts, String threadTs, String text) {
    JsonObject event = new JsonObject().put("type", "message").put("channel_type", "channel")
        .put("user", "U061F7AUR").put("text", text).put("ts", ts).put("channel", channel);
    if (threadTs != null) {
      event.put("thread_ts", threadTs);
    }
    return new JsonObject().put("type", "event_callback").put("team_id", "T1").put("event_id", eventId)
        .put("event_time", 1700000000).put("event", event).encode();
  }

  private static String resource(String path) throws Exception {
    try (InputStream in = SlackChannelTest.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
