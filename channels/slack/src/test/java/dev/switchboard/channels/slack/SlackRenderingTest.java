package dev.switchboard.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choices become Block Kit buttons, and a click on one comes back as that button's value. */
class SlackRenderingTest {

  @Test
  void choicesAreButtonsInTheThread() {
    Reply reply = new Reply.Choices("Which list?", List.of(new Choice("Home", "list home"), new Choice("Work", "list work")));
    SlackAddress address = SlackAddress.from(new JsonObject().put("channel", "C1").put("thread_ts", "1.5"));
    JsonObject body = SlackChannelAdapter.postMessageBody(reply, address, "Which list?", true);
    assertEquals("1.5", body.getString("thread_ts"));
    JsonObject second = body.getJsonArray("blocks").getJsonObject(1).getJsonArray("elements").getJsonObject(1);
    assertEquals("list work", second.getString("value"));
    assertEquals("Work", second.getJsonObject("text").getString("text"));
    assertNull(SlackChannelAdapter.postMessageBody(reply, address, "part", false).getJsonArray("blocks"));
  }

  @Test
  void slashCommandAnswersAreEphemeralUnlessTheSkillAsks() {
    assertEquals(new JsonObject().put("response_type", "ephemeral").put("text", "a &lt; b"),
        SlackChannelAdapter.responseBody("a < b", false));
    assertEquals("in_channel", SlackChannelAdapter.responseBody("shipped", true).getString("response_type"));
  }

  @Test
  void aClickInAThreadBelongsToThatThread() {
    JsonObject click = new JsonObject().put("type", "block_actions").put("trigger_id", "9.9.x")
        .put("user", new JsonObject().put("id", "U1"))
        .put("channel", new JsonObject().put("id", "C1"))
        .put("message", new JsonObject().put("ts", "1.7").put("thread_ts", "1.5"))
        .put("actions", List.of(new JsonObject().put("value", "list work")
            .put("text", new JsonObject().put("text", "Work"))));
    Envelope e = SlackInteractivityHandler.click(click, 10);
    assertEquals("slack:C1:1.5", e.conversation().asString());
    assertEquals(new Content.Callback("list work", "Work"), e.content());
    assertNull(SlackInteractivityHandler.click(click.copy().put("actions", List.of()), 10));
  }
}
