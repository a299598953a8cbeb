package dev.switchboard.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.TextChunks;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The mapping of real Bot API updates (official examples and captured ones). */
class TelegramMapperTest {
  private static final TelegramMapper.BotIdentity BOT = new TelegramMapper.BotIdentity(42, "ExampleGatewayBot");

  @Test
  void privateStartCommand() throws IOException {
    Envelope e = handle("tg_private_start_official.json");
    assertEquals(new Content.Command("start", List.of(), ""), e.content());
    assertEquals("1111111", e.sender().id());
    assertEquals("telegram:1111111", e.conversation().asString());
    assertEquals("1111111:1365", e.id().value());
  }

  @Test
  void replyKeepsWhatItAnswers() throws IOException {
    Envelope e = handle("tg_reply_official.json");
    assertEquals("1334", e.replyTo());
  }

  @Test
  void plainTextAndEntities() throws IOException {
    assertEquals(new Content.Text("hello there"), handle("tg_private_text.json").content());
    assertEquals(new Content.Text("Bold and italics"), handle("tg_entities_official.json").content());
  }

  @Test
  void groupCommandForThisBotWithArguments() throws IOException {
    Envelope e = handle("tg_group_command_botname.json");
    assertEquals(new Content.Command("report", List.of("spam", "in", "the", "chat"), "spam in the chat"), e.content());
    assertEquals("telegram:-1001293752024", e.conversation().asString(), "64-bit negative supergroup id");
    assertEquals("5964236329", e.sender().id());
    Mapping forOtherBot = TelegramMapper.map(read("tg_group_command_botname.json"), new JsonObject(),
        new TelegramMapper.BotIdentity(43, "SomeOtherBot"), 10, Instant.now());
    assertEquals("command for another bot", assertInstanceOf(Mapping.Skip.class, forOtherBot).reason());
  }

  @Test
  void photoWithCaptionIsAMediaReference() throws IOException {
    Content.Media media = assertInstanceOf(Content.Media.class, handle("tg_photo_caption.json").content());
    assertEquals("photo", media.kind());
    assertEquals("www.example.com", media.caption());
    assertTrue(media.ref().endsWith("eQADJAQ"), "the largest size: " + media.ref());
  }

  @Test
  void inlineButtonPressIsAnsweredButNotRoutedAndEditsAreNotNewMessages() throws IOException {
    // the official example is an inline-mode press: no chat to answer in, so it is only acknowledged
    Mapping.Skip press = assertInstanceOf(Mapping.Skip.class,
        TelegramMapper.map(read("tg_callback_query_official.json"), new JsonObject(), BOT, 10, Instant.now()));
    assertEquals("callback query without a chat message or data", press.reason());
    Mapping.Skip edit = assertInstanceOf(Mapping.Skip.class,
        TelegramMapper.map(read("tg_edited_message_official.json"), new JsonObject(), BOT, 10, Instant.now()));
    assertEquals("edited message", edit.reason());
  }

  @Test
  void aWebhookBodyNestedTooDeepIsRefusedBeforeAnyParsing() {
    TelegramWebhookHandler handler = new TelegramWebhookHandler(null, new TelegramIngress(null, () -> BOT), null,
        () -> true);
    String deep = "{\"update_id\":1,\"x\":" + "[".repeat(900) + "]".repeat(900) + "}";
    dev.switchboard.channels.ApiError refused = org.junit.jupiter.api.Assertions.assertThrows(
        dev.switchboard.channels.ApiError.class, () -> handler.read(null, Buffer.buffer(deep)));
    assertEquals(400, refused.status());
  }

  @Test
  void hostileBodiesAreNotUpdates() throws IOException {
    assertNull(TelegramIngress.parse(Buffer.buffer(bytes("tg_hostile_truncated.json"))));
    assertNull(TelegramIngress.parse(Buffer.buffer(bytes("tg_hostile_wrong_types.json"))));
    assertNull(TelegramIngress.parse(Buffer.buffer("[]")));
  }

  @Test
  void longTextsAreSplitSafely() {
    String emoji = "😀".repeat(3000); // 6000 UTF-16 units, no spaces
    List<String> parts = TextChunks.split(emoji, 4096);
    assertEquals(emoji, String.join("", parts));
    parts.forEach(p -> assertTrue(p.length() <= 4096 && !Character.isLowSurrogate(p.charAt(0))));
    List<String> lines = TextChunks.split("a".repeat(4000) + "\n" + "b".repeat(200), 4096);
    assertEquals(List.of("a".repeat(4000), "b".repeat(200)), lines);
    assertEquals(List.of("short"), TextChunks.split("short", 4096));
  }

  @Test
  void textOverTelegramsMaximumIsKeptOnRecordNotHandled() throws IOException {
    JsonObject update = new JsonObject(Buffer.buffer(bytes("tg_private_text.json")));
    update.getJsonObject("message").put("text", "😀".repeat(4096));
    assertInstanceOf(Mapping.Handle.class, map(update), "4096 characters (astral ones too) are Telegram's maximum");
    update.getJsonObject("message").put("text", "x".repeat(4097));
    Mapping.Skip skip = assertInstanceOf(Mapping.Skip.class, map(update));
    assertEquals("text of 4097 characters, over the platform's 4096", skip.reason());
  }

  private static Mapping map(JsonObject update) {
    return TelegramMapper.map(TelegramIngress.parse(update.toBuffer()), update, BOT, 10, Instant.now());
  }

  private static Envelope handle(String file) throws IOException {
    Mapping result = TelegramMapper.map(read(file), new JsonObject(), BOT, 10, Instant.now());
    return assertInstanceOf(Mapping.Handle.class, result, file).envelope();
  }

  private static Update read(String file) throws IOException {
    Update update = TelegramIngress.parse(Buffer.buffer(bytes(file)));
    if (update == null) {
      throw new AssertionError(file + " did not parse");
    }
    return update;
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in = TelegramMapperTest.class.getResourceAsStream("/updates/" + file)) {
      return in.readAllBytes();
    }
  }
}
