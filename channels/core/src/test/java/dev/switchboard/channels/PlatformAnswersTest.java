package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlatformAnswersTest {

  @Test
  void transientRefusalsAreRetriedAndTheRestAreFinal() {
    for (int status : new int[] {0, 408, 429, 500, 502, 503}) {
      assertInstanceOf(DeliveryResult.RetryLater.class, PlatformAnswers.refused(status, false, null, "x"), "" + status);
    }
    for (int status : new int[] {301, 400, 401, 403, 404, 413}) {
      assertInstanceOf(DeliveryResult.Failed.class, PlatformAnswers.refused(status, false, null, "x"), "" + status);
    }
    assertInstanceOf(DeliveryResult.RetryLater.class, PlatformAnswers.refused(200, true, null, "ratelimited"),
        "an error the platform calls transient, answered with 200");
    DeliveryResult.RetryLater later = assertInstanceOf(DeliveryResult.RetryLater.class,
        PlatformAnswers.refused(429, false, Duration.ofSeconds(7), "Slack: ratelimited"));
    assertEquals(Duration.ofSeconds(7), later.after());
    assertEquals("Slack: ratelimited", later.reason());
  }

  @Test
  void retryAfterIsReadCarefully() {
    assertEquals(Duration.ofSeconds(30), PlatformAnswers.retryAfter(" 30 "));
    assertNull(PlatformAnswers.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
    assertNull(PlatformAnswers.retryAfter("-1"));
    assertNull(PlatformAnswers.retryAfter(null));
    assertEquals(Duration.ofHours(1), PlatformAnswers.retryAfter("999999999"), "capped");
    assertEquals(Duration.ofMillis(1500), PlatformAnswers.seconds(1.5), "Discord's fractional seconds");
    assertNull(PlatformAnswers.seconds(null));
  }
}
