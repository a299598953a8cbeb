package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Slack from a laptop: Socket Mode against a fake Slack WebSocket server, no public URL, no signatures. */
class SlackSocketModeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void eventsAndCommandsOverTheSocketAckedAfterRecording() throws Exception {
    try (FakeSlack slack = new FakeSlack();
         GatewayProcess gateway = GatewayProcess.start("slack-socket", Map.of(
             "SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN, "SLACK_APP_TOKEN", FakeSlack.APP_TOKEN,
             "SWITCHBOARD_CHANNELS_SLACK_API_BASE_URL", slack.gatewayEnv().get("SWITCHBOARD_CHANNELS_SLACK_API_BASE_URL")))) {
      Api api = new Api(gateway);
      assertTrue(gateway.stdout().contains("slack (Socket Mode)"), gateway.stdout());
      waitFor(slack::socketOpen);
      waitFor(() -> ready(api));
      assertEquals(404, api.post("/slack/events", "{}", Map.of()).status(), "no HTTP endpoints in Socket Mode");

      // an event: acked by envelope id, answered through the Web API
      JsonObject mention = new JsonObject().put("type", "event_callback").put("event_id", "EvS1")
          .put("event", new JsonObject().put("type", "app_mention").put("user", "U061F7AUR")
              .put("text", "<@U0LAN0Z89> /help").put("ts", "1700000100.000100").put("channel", "C42"));
      slack.sendFrame(new JsonObject().put("envelope_id", "env-1").put("type", "events_api")
          .put("accepts_response_payload", false).put("payload", mention));
      waitFor(() -> slack.socketFrames.contains(new JsonObject().put("envelope_id", "env-1")));
      JsonObject reply = slack.await("chat.postMessage", c -> "C42".equals(c.getString("channel")), WAIT);
      assertTrue(reply.getString("text").startsWith("Here is what I can do:"));

      // a slash command: acked within Slack's 3 s; the reply rides on the ack when it is ready in time (as it
      // normally is), else it comes through response_url — exactly once either way
      slack.sendFrame(new JsonObject().put("envelope_id", "env-2").put("type", "slash_commands")
          .put("accepts_response_payload", true).put("payload", new JsonObject().put("command", "/todo")
              .put("text", "add socket item").put("user_id", "U7").put("channel_id", "C42")
              .put("trigger_id", "trig-socket-1").put("response_url", slack.responseUrl("socket-1"))));
      long sent = System.nanoTime();
      waitFor(() -> slack.socketFrames.stream().anyMatch(f -> "env-2".equals(f.getString("envelope_id"))));
      assertTrue(System.nanoTime() - sent < 3_000_000_000L, "acked within 3 s");
      JsonObject ack = slack.socketFrames.stream().filter(f -> "env-2".equals(f.getString("envelope_id")))
          .findFirst().orElseThrow();
      String expected = "Added \"socket item\". You have 1 item.";
      if (ack.getJsonObject("payload") != null) {
        assertEquals(expected, ack.getJsonObject("payload").getString("text"));
        Thread.sleep(4000);
        assertEquals(0, slack.calls("response_url").size(), "answered on the ack, so never again");
      } else {
        assertEquals(expected, slack.await("response_url", c -> "socket-1".equals(c.getString("_id")), WAIT)
            .getString("text"));
      }

      // Slack asks to reconnect: a fresh connection is opened and used
      slack.sendFrame(new JsonObject().put("type", "disconnect").put("reason", "refresh_requested"));
      waitFor(() -> slack.socketsOpened.get() == 2 && slack.socketOpen());
      Thread.sleep(500);
      slack.sendFrame(new JsonObject().put("envelope_id", "env-3").put("type", "events_api")
          .put("payload", mention.copy().put("event_id", "EvS2").put("event", mention.getJsonObject("event").copy()
              .put("ts", "1700000100.000200").put("text", "<@U0LAN0Z89> /todo list"))));
      waitFor(() -> slack.socketFrames.contains(new JsonObject().put("envelope_id", "env-3")));
      slack.await("chat.postMessage", c -> "1700000100.000200".equals(c.getString("thread_ts")), WAIT);
    }
  }

  private static boolean ready(Api api) {
    try {
      return api.get("/health/ready").status() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(50);
    }
  }
}
