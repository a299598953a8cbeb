package dev.switchboard.spi;

/**
 * Who sent a message.
 *
 * @param id the channel's id for the person or bot (Telegram user id, Slack user id, phone number, ...)
 * @param name a display name when the channel gives one, else {@code null}
 */
public record Sender(String id, String name) {
  public Sender {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("sender id is required");
    }
  }

  /** A sender known only by id. */
  public static Sender of(String id) {
    return new Sender(id, null);
  }

  /** The name when there is one, else the id. */
  public String displayName() {
    return name == null || name.isBlank() ? id : name;
  }
}
