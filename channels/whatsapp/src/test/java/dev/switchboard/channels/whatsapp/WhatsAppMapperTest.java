package dev.switchboard.channels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.Outbound;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Meta's documented notifications, mapped; and what we send back. */
class WhatsAppMapperTest {

  @Test
  void photoWithCaptionIsAMediaReference() throws Exception {
    Content.Media media = (Content.Media) only("wa_image.json").envelope().content();
    assertEquals("image", media.kind());
    assertEquals("Taj Mahal", media.caption());
  }

  @Test
  void locationAndButtonReply() throws Exception {
    Content.Media place = (Content.Media) only("wa_location.json").envelope().content();
    assertEquals("geo:37.44221496582,-122.16165924072", place.ref());
    assertTrue(place.caption().contains("101 Forest Ave"));
    assertEquals(new Content.Callback("cancel-button", "Cancel"),
        only("wa_interactive_button_reply.json").envelope().content());
  }

  @Test
  void reactionsAreSkippedEvenWhenRemoved() throws Exception {
    WhatsAppMapper.Notification n = WhatsAppMapper.map(read("wa_reaction.json"), 1, Instant.now());
    assertEquals(0, n.handle().size());
    assertEquals("message type reaction", n.skip().get(0).reason());
    JsonObject removed = read("wa_reaction.json");
    removed.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
        .getJsonArray("messages").getJsonObject(0).getJsonObject("reaction").remove("emoji");
    assertEquals(1, WhatsAppMapper.map(removed, 1, Instant.now()).skip().size());
  }

  @Test
  void statusesAreRead() throws Exception {
    WhatsAppMapper.Notification n = WhatsAppMapper.map(read("wa_status_delivered.json"), 1, Instant.now());
    assertEquals(List.of(new WhatsAppMapper.Status("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA",
        "delivered", null)), n.statuses());
  }

  @Test
  void choicesBecomeButtonsOrAList() {
    JsonObject three = WhatsAppChannelAdapter.interactive("Pick",
        List.of(new Choice("A", "a"), new Choice("A very long label indeed", "b"), new Choice("C", "c")));
    assertEquals("button", three.getString("type"));
    assertEquals(20, three.getJsonObject("action").getJsonArray("buttons").getJsonObject(1).getJsonObject("reply")
        .getString("title").length());
    JsonObject four = WhatsAppChannelAdapter.interactive("Pick", List.of(new Choice("A", "a"), new Choice("B", "b"),
        new Choice("C", "c"), new Choice("D", "d")));
    assertEquals("list", four.getString("type"));
    Outbound reply = new Outbound(1, new ConversationKey(WhatsAppMapper.CHANNEL, "1555"), new MessageId("wamid.X"),
        0, Reply.text("hi"), new JsonObject().put("to", "1555").put("message_id", "wamid.X"), 1, false);
    JsonObject body = WhatsAppChannelAdapter.messageBody(reply, "hi", true, true);
    assertEquals("wamid.X", body.getJsonObject("context").getString("message_id"));
    assertEquals("hi", body.getJsonObject("text").getString("body"));
  }

  private static WhatsAppMapper.Handle only(String file) throws Exception {
    WhatsAppMapper.Notification n = WhatsAppMapper.map(read(file), 1, Instant.now());
    assertEquals(1, n.handle().size(), file);
    return n.handle().get(0);
  }

  private static JsonObject read(String file) throws Exception {
    try (InputStream in = WhatsAppMapperTest.class.getResourceAsStream("/" + file)) {
      return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
