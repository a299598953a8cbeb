package dev.switchboard.spi;

/**
 * One conversation: a chat, a channel thread, a direct-message pair. Messages with the same key are handled
 * one at a time, in arrival order, and share one session.
 *
 * @param channel the channel the conversation lives in
 * @param id the channel's own id for it (for the webhook channel, the caller's {@code conversation}
 *     in the caller's namespace)
 */
public record ConversationKey(ChannelId channel, String id) {
  /** Longest accepted conversation id. */
  public static final int MAX_ID_LENGTH = 512;

  public ConversationKey {
    if (channel == null) {
      throw new IllegalArgumentException("channel is required");
    }
    if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("conversation id must be 1-" + MAX_ID_LENGTH + " characters");
    }
    if (id.chars().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c))) {
      throw new IllegalArgumentException("conversation id must not contain control characters or surrogates");
    }
  }

  /** The key as one string, {@code channel:id}: what sessions and lanes are keyed by. */
  public String asString() {
    return channel.value() + ":" + id;
  }

  @Override
  public String toString() {
    return asString();
  }
}
