package dev.switchboard.channels.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channels.Caller;
import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.StrictJson;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** Any bytes as a {@code POST /v1/messages} body: a message, or a 400 naming what is wrong; nothing else. */
class WebhookFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void message(byte[] body) {
    try {
      WebhookMapper.read(Caller.LOCAL, StrictJson.parseObject(Buffer.buffer(body)), null, body.length, Instant.now());
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
