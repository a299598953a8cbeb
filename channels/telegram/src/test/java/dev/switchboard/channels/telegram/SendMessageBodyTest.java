package dev.switchboard.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What goes to sendMessage: the same chat and topic, a reply on the first part, buttons on the last. */
class SendMessageBodyTest {

  @Test
  void replyInTopicWithButtons() {
    Reply reply = new Reply.Choices("Pick one", List.of(new Choice("Yes", "yes"), new Choice("Long", "x".repeat(65))));
    TelegramAddress address = TelegramAddress.from(
        new JsonObject().put("chat_id", -1001L).put("message_id", 55).put("message_thread_id", 7));
    JsonObject first = TelegramChannelAdapter.sendMessageBody(reply, address, "Pick one", true, true);
    assertEquals(-1001L, first.getLong("chat_id"));
    assertEquals(7, first.getInteger("message_thread_id"));
    assertEquals(new JsonObject().put("message_id", 55).put("allow_sending_without_reply", true),
        first.getJsonObject("reply_parameters"));
    assertNull(first.getString("parse_mode"), "plain text: nothing to escape, nothing to mis-parse");
    assertEquals(new JsonArray().add(new JsonArray().add(new JsonObject().put("text", "Yes").put("callback_data", "yes"))),
        first.getJsonObject("reply_markup").getJsonArray("inline_keyboard"), "callback data over 64 bytes is left out");

    JsonObject middle = TelegramChannelAdapter.sendMessageBody(reply, address, "part", false, false);
    assertNull(middle.getJsonObject("reply_parameters"));
    assertNull(middle.getJsonObject("reply_markup"));
  }
}
