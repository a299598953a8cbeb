package dev.switchboard.spi;

import java.util.regex.Pattern;

/**
 * The channel a message came through: {@code webhook}, {@code telegram}, {@code slack}, {@code whatsapp}.
 *
 * @param value lower-case letters, digits and dashes
 */
public record ChannelId(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /** The plain JSON webhook channel ({@code POST /v1/messages}). */
  public static final ChannelId WEBHOOK = new ChannelId("webhook");

  public ChannelId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("channel id must match " + VALID + ": " + value);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
