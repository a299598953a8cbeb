package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

/**
 * Any bytes as a request body: a JSON object, or a 400 with a reason; never another exception, never a hang.
 * Replays its inputs folder in every build; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class StrictJsonFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] body) {
    try {
      StrictJson.parseObject(Buffer.buffer(body));
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
