package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slack slash commands: signed form posts answered within 3 s, per user and channel. */
class SlackCommandsTest {
  private static final String FORM = "application/x-www-form-urlencoded";

  @Test
  void slashCommandsAnswerInTheAckAndNeverTwice() throws Exception {
    try (FakeSlack slack = new FakeSlack();
         GatewayProcess gateway = GatewayProcess.start("slack-commands", slack.gatewayEnv())) {
      Api api = new Api(gateway);

      Api.Answer added = command(api, slack, "U1", "C9", "/todo", "add ship the release & party", "t1");
      assertEquals(200, added.status(), added.raw().body());
      JsonObject first = reply(slack, added, "t1");
      assertEquals("ephemeral", first.getString("response_type"));
      assertEquals("Added \"ship the release &amp; party\". You have 1 item.", first.getString("text"));
      assertEquals("Your list:\n1. ship the release &amp; party",
          reply(slack, command(api, slack, "U1", "C9", "/todo", "list", "t2"), "t2").getString("text"));
      assertEquals("Your list is empty. Add something with /todo add &lt;item&gt;.",
          reply(slack, command(api, slack, "U2", "C9", "/todo", "list", "t3"), "t3").getString("text"),
          "another user in the same channel has a conversation of their own");

      // Slack's ssl_check, an unsigned post, and the official vector (signed long ago: a replay)
      assertEquals(200, api.post("/slack/commands", "ssl_check=1&token=x", signed("ssl_check=1&token=x")).status());
      assertEquals(401, api.post("/slack/commands", "command=%2Ftodo&text=list", Map.of("Content-Type", FORM))
          .status());
      String official = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
          + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
          + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
          + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
      assertEquals(401, api.post("/slack/commands", official, Map.of("Content-Type", FORM,
          "X-Slack-Request-Timestamp", "1531420618",
          "X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")).status());
      Api.Answer fresh = api.post("/slack/commands", official, signed(official));
      assertEquals(200, fresh.status());
      if (fresh.json() != null) { // else its reply goes to Slack's response_url, out of reach here
        assertEquals("I don't know the command /webhook-collect. Send /help to see what I can do.",
            fresh.json().getString("text"));
      }

      Thread.sleep(4000); // past the hold: each command answered exactly once, in the ack or through response_url
      for (String trigger : new String[] {"t1", "t2", "t3"}) {
        assertEquals(1, answeredInAck.getOrDefault(trigger, 0)
            + slack.calls("response_url").stream().filter(c -> trigger.equals(c.getString("_id"))).count(), trigger);
      }

      // a reply that is not ready within Slack's 3 s (here: another node holds the conversation's shard for 4 s
      // and does not answer) gets an empty ack, then comes through response_url
      gateway.queryOne("WITH taken AS (UPDATE shard_leases SET owner = 'another-node', token = token + 1, "
          + "expires_at = now() + interval '4 seconds' WHERE shard = shard_of('slack:C9:U3') RETURNING shard, token) "
          + "UPDATE shard_fences f SET token = taken.token FROM taken WHERE f.shard = taken.shard RETURNING f.token");
      long start = System.nanoTime();
      Api.Answer empty = command(api, slack, "U3", "C9", "/todo", "add later", "t9");
      assertEquals(200, empty.status());
      assertEquals("", empty.raw().body());
      assertTrue(System.nanoTime() - start < 3_000_000_000L, "acked within Slack's 3 s");
      JsonObject late = slack.await("response_url", c -> "t9".equals(c.getString("_id")), Duration.ofSeconds(30));
      assertEquals("ephemeral", late.getString("response_type"));
      assertEquals("Added \"later\". You have 1 item.", late.getString("text"));
      assertEquals(0, slack.calls("chat.postMessage").size());
    }
  }

  private final Map<String, Integer> answeredInAck = new HashMap<>();

  /**
   * The reply to a command: in the ack when it was ready within Slack's 3 s (as it normally is), else the one
   * that came through response_url.
   */
  private JsonObject reply(FakeSlack slack, Api.Answer ack, String trigger) throws Exception {
    if (ack.json() != null) {
      answeredInAck.merge(trigger, 1, Integer::sum);
      return ack.json();
    }
    return slack.await("response_url", c -> trigger.equals(c.getString("_id")), Duration.ofSeconds(30));
  }

  private static Api.Answer command(Api api, FakeSlack slack, String user, String channel, String command,
      String text, String trigger) throws Exception {
    String body = "team_id=T1&channel_id=" + channel + "&user_id=" + user + "&user_name=someone"
        + "&command=" + enc(command) + "&text=" + enc(text) + "&trigger_id=" + trigger
        + "&response_url=" + enc(slack.responseUrl(trigger));
    return api.post("/slack/commands", body, signed(body));
  }

  private static Map<String, String> signed(String body) throws Exception {
    long ts = Instant.now().getEpochSecond();
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", FORM);
    headers.put("X-Slack-Request-Timestamp", Long.toString(ts));
    headers.put("X-Slack-Signature", "v0=" + WebhookChannelTest.hmac(FakeSlack.SIGNING_SECRET, "v0:" + ts + ":" + body));
    return headers;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
