package dev.switchboard.channels.telegram;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps sends under Telegram's published limits by spacing them, not dropping them: about one message a second
 * per private chat, twenty a minute per group, thirty a second per bot. A 429 pushes the chat's next slot
 * past its {@code retry_after}. Remembers the busiest {@link #MAX_CHATS} chats; forgetting an idle one is harmless.
 */
final class SendPacer {
  static final Duration PRIVATE_SPACING = Duration.ofSeconds(1);
  static final Duration GROUP_SPACING = Duration.ofSeconds(3);
  static final Duration BOT_SPACING = Duration.ofMillis(34);
  static final int MAX_CHATS = 10_000;

  private final Map<Long, Long> nextSlot = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > MAX_CHATS;
    }
  };
  private long nextBotSlot = Long.MIN_VALUE;

  /** Reserves the next send to {@code chat}; answers how long to wait before sending. */
  synchronized Duration reserve(long chat, long now) {
    // the bot-wide slot is taken at the earliest time, so one slow chat does not hold the others back
    long botStart = Math.max(now, nextBotSlot);
    nextBotSlot = botStart + BOT_SPACING.toNanos();
    long start = Math.max(botStart, nextSlot.getOrDefault(chat, now));
    long spacing = (chat < 0 ? GROUP_SPACING : PRIVATE_SPACING).toNanos();
    nextSlot.put(chat, start + spacing);
    return Duration.ofNanos(start - now);
  }

  /** Telegram said to wait: nothing more goes to the chat before then. */
  synchronized void backOff(long chat, Duration retryAfter, long now) {
    nextSlot.merge(chat, now + retryAfter.toNanos(), Math::max);
  }
}
