package dev.switchboard.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMapperTest {
  private static final String BOT = "U0LAN0Z89";

  @Test
  void channelMentionStartsAThreadConversation() {
    Envelope e = handle(event("app_mention", "C1", "1515449522.000016", null, "<@U0LAN0Z89> /todo add milk"));
    assertEquals(new Content.Command("todo", List.of("add", "milk"), "add milk"), e.content());
    assertEquals("slack:C1:1515449522.000016", e.conversation().asString());
    assertEquals("C1:1515449522.000016", e.id().value(), "the same id whichever event type delivers it");
  }

  @Test
  void directMessageIsItsChannel() {
    JsonObject dm = event("message", "D024BE91L", "1355517523.000005", null, "Hello hello can you hear me?");
    dm.getJsonObject("event").put("channel_type", "im");
    Envelope e = handle(dm);
    assertEquals("slack:D024BE91L", e.conversation().asString());
    assertNull(e.thread());
    assertEquals(new Content.Text("Hello hello can you hear me?"), e.content());
  }

  @Test
  void slackEscapesAreUndoneAndABareMentionAsksForHelp() {
    assertEquals(new Content.Text("a < b & c > d"),
        handle(event("app_mention", "C1", "1.1", null, "<@U0LAN0Z89> a &lt; b &amp; c &gt; d")).content());
    assertEquals("help", handle(event("app_mention", "C1", "1.2", null, "<@U0LAN0Z89>")).command().name());
    assertEquals("&lt;@U123&gt; &amp; co", SlackMapper.escape("<@U123> & co"));
  }

  @Test
  void notNewUserMessagesAreSkipped() {
    JsonObject edit = event("message", "C1", "1.3", null, "<@U0LAN0Z89> hi");
    edit.getJsonObject("event").put("subtype", "message_changed");
    JsonObject bot = event("message", "C1", "1.4", null, "<@U0LAN0Z89> hi");
    bot.getJsonObject("event").put("bot_id", "B1");
    JsonObject self = event("message", "C1", "1.5", null, "<@U0LAN0Z89> hi");
    self.getJsonObject("event").put("user", BOT);
    JsonObject chatter = event("message", "C1", "1.6", null, "lunch?");
    JsonObject misshapen = event("message", "D1", "1.7", null, "hi");
    misshapen.getJsonObject("event").put("blocks", "not a list of blocks"); // Slack's types refuse it
    for (JsonObject skipped : List.of(edit, bot, self, chatter, misshapen,
        new JsonObject().put("type", "event_callback"))) {
      assertInstanceOf(Mapping.Skip.class, SlackMapper.map(skipped, BOT, 1, Instant.now()), skipped.encode());
    }
  }

  @Test
  void signaturesFollowTheOfficialVector() {
    SlackRequestVerifier verifier = new SlackRequestVerifier("8f742231b10e8888abcd99yyyzzz85a5");
    String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    long at = 1531420618_000L;
    assertTrue(verifier.isValid("1531420618", Buffer.buffer(body), signature, at));
    assertFalse(verifier.isValid("1531420618", Buffer.buffer(body + "x"), signature, at));
    assertFalse(verifier.isValid("1531420618", Buffer.buffer(body), signature, at + 301_000), "five minutes");
  }

  private static Envelope handle(JsonObject callback) {
    return assertInstanceOf(Mapping.Handle.class, SlackMapper.map(callback, BOT, 10, Instant.now())).envelope();
  }

  private static JsonObject event(String type, String channel, String ts, String thread, String text) {
    JsonObject event = new JsonObject().put("type", type).put("user", "U061F7AUR").put("text", text)
        .put("ts", ts).put("channel", channel);
    if (thread != null) {
      event.put("thread_ts", thread);
    }
    return new JsonObject().put("type", "event_callback").put("event_id", "Ev" + ts).put("event", event);
  }
}
