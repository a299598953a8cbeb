package dev.switchboard.channels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
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
    assertEquals(1, n.mappings().size());
    assertEquals("message type reaction", ((Mapping.Skip) n.mappings().get(0)).reason());
    JsonObject removed = read("wa_reaction.json");
    removed.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
        .getJsonArray("messages").getJsonObject(0).getJsonObject("reaction").remove("emoji");
    assertInstanceOf(Mapping.Skip.class, WhatsAppMapper.map(removed, 1, Instant.now()).mappings().get(0));
  }

  @Test
  void statusesAreRead() throws Exception {
    WhatsAppMapper.Notification n = WhatsAppMapper.map(read("wa_status_delivered.json"), 1, Instant.now());
    assertEquals(List.of(new Mapping.StatusUpdate(WhatsAppMapper.CHANNEL,
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA", "delivered", null)), n.mappings());
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
    JsonObject body = WhatsAppChannelAdapter.messageBody(Reply.text("hi"),
        WhatsAppAddress.from(new JsonObject().put("to", "1555").put("message_id", "wamid.X")), "hi", true, true);
    assertEquals("wamid.X", body.getJsonObject("context").getString("message_id"));
    assertEquals("hi", body.getJsonObject("text").getString("body"));
  }

  private static Mapping.Handle only(String file) throws Exception {
    WhatsAppMapper.Notification n = WhatsAppMapper.map(read(file), 1, Instant.now());
    assertEquals(1, n.mappings().size(), file);
    return assertInstanceOf(Mapping.Handle.class, n.mappings().get(0), file);
  }

  private static JsonObject read(String file) throws Exception {
    try (InputStream in = WhatsAppMapperTest.class.getResourceAsStream("/" + file)) {
      return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
