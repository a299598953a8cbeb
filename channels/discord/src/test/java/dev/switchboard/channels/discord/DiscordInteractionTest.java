package dev.switchboard.channels.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DiscordInteractionTest {

  @Test
  void signaturesAreEd25519OverTimestampAndBody() throws Exception {
    KeyPair app = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] x509 = app.getPublic().getEncoded();
    DiscordSignature signature = new DiscordSignature(HexFormat.of().formatHex(x509, x509.length - 32, x509.length));
    byte[] body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
    String signed = sign(app, "1700000000", body);
    assertTrue(signature.verify(signed, "1700000000", body));
    assertFalse(signature.verify(signed, "1700000001", body), "another timestamp");
    assertFalse(signature.verify(signed, "1700000000", "{\"type\":2}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(signature.verify(sign(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "1700000000", body),
        "1700000000", body), "another key");
    assertFalse(signature.verify("zz", "1700000000", body));
    assertFalse(signature.verify(null, null, body));
  }

  @Test
  void commandsReadLikeTheirSlashForm() {
    JsonObject options = new JsonObject().put("name", "todo").put("options", new JsonArray()
        .add(new JsonObject().put("name", "add").put("type", 1).put("options", new JsonArray()
            .add(new JsonObject().put("name", "item").put("type", 3).put("value", "buy milk")))));
    assertEquals(Content.Command.parse("/todo add buy milk"), DiscordMapper.command(options));
    assertEquals(Content.Command.parse("/help"), DiscordMapper.command(new JsonObject().put("name", "help")));
    assertEquals(Content.Command.parse("/dice 20 3"), DiscordMapper.command(new JsonObject().put("name", "dice")
        .put("options", new JsonArray().add(new JsonObject().put("name", "sides").put("value", 20))
            .add(new JsonObject().put("name", "count").put("value", 3)))));
  }

  @Test
  void aPressInADirectMessageIsACallbackOfThatUser() {
    JsonObject press = new JsonObject().put("id", "42").put("type", 3).put("token", "t").put("channel_id", "D1")
        .put("user", new JsonObject().put("id", "U9").put("username", "ann"))
        .put("data", new JsonObject().put("custom_id", "list work").put("component_type", 2));
    Mapping.Handle handle = assertInstanceOf(Mapping.Handle.class, DiscordMapper.map(press, 10, Instant.now()));
    assertEquals(new Content.Callback("list work", ""), handle.envelope().content());
    assertEquals("discord:D1:U9", handle.envelope().conversation().asString());
    assertEquals("interaction:42", handle.envelope().id().value());
    assertInstanceOf(Mapping.Skip.class, DiscordMapper.map(press.copy().put("type", 5), 10, Instant.now()),
        "a modal submit is acknowledged, not handled");
    assertNull(DiscordMapper.map(new JsonObject().put("type", 2), 10, Instant.now()), "no id: not an interaction");
  }

  @Test
  void repliesPingNoOneAndChoicesBecomeButtonRows() {
    List<Choice> choices = IntStream.range(0, 7).mapToObj(i -> new Choice("Option " + i, "v" + i)).toList();
    JsonObject message = DiscordChannelAdapter.message(new Reply.Choices("Pick @everyone", choices), "Pick @everyone",
        true, true);
    assertEquals(new JsonArray(), message.getJsonObject("allowed_mentions").getJsonArray("parse"));
    assertEquals(0, message.getInteger("flags"));
    JsonArray rows = message.getJsonArray("components");
    assertEquals(2, rows.size(), "5 buttons to a row");
    assertEquals("v6", rows.getJsonObject(1).getJsonArray("components").getJsonObject(1).getString("custom_id"));
    assertNull(DiscordChannelAdapter.message(new Reply.Choices("x", choices), "x", false, false)
        .getJsonArray("components"), "buttons only on the last part");
  }

  private static String sign(KeyPair key, String timestamp, byte[] body) throws Exception {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key.getPrivate());
    signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
    signer.update(body);
    return HexFormat.of().formatHex(signer.sign());
  }
}
