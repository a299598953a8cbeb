package dev.switchboard.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;

/** Any bytes as a Telegram webhook body: an update to record (handled or skipped), or a 400; nothing else. */
class TelegramFuzzTest {
  private static final TelegramWebhookHandler HANDLER = new TelegramWebhookHandler(null,
      new TelegramIngress(null, () -> new TelegramMapper.BotIdentity(42, "SwitchboardBot")), null, () -> true);

  @FuzzTest(maxDuration = "30s")
  void update(byte[] body) {
    try {
      HANDLER.read(null, Buffer.buffer(body));
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
