package dev.switchboard.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendPacerTest {
  private static final long T0 = 1_000_000_000L;

  @Test
  void spacesSendsPerChatAndPerBot() {
    SendPacer pacer = new SendPacer();
    assertEquals(Duration.ZERO, pacer.reserve(42, T0));
    assertEquals(Duration.ofSeconds(1), pacer.reserve(42, T0), "a private chat gets one message a second");
    assertEquals(Duration.ofMillis(68), pacer.reserve(43, T0), "other chats only wait for the bot's 30/s");
    assertEquals(Duration.ZERO, pacer.reserve(-100, T0 + Duration.ofSeconds(5).toNanos()));
    assertEquals(Duration.ofSeconds(3), pacer.reserve(-100, T0 + Duration.ofSeconds(5).toNanos()),
        "a group gets twenty a minute");
  }

  @Test
  void retryAfterHoldsTheChat() {
    SendPacer pacer = new SendPacer();
    pacer.backOff(7, Duration.ofSeconds(9), T0);
    assertEquals(Duration.ofSeconds(9), pacer.reserve(7, T0));
  }
}
