package dev.switchboard.channels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;

/** Any bytes as a (verified) Cloud API notification: messages, skips and statuses to record, or a 400. */
class WhatsAppFuzzTest {
  private static final WhatsAppWebhookHandler HANDLER =
      new WhatsAppWebhookHandler(null, "test-app-secret", "test-verify-token");

  @FuzzTest(maxDuration = "30s")
  void notification(byte[] body) {
    try {
      HANDLER.read(null, Buffer.buffer(body));
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
