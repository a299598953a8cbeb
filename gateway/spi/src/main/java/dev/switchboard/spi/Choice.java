package dev.switchboard.spi;

/**
 * One option a reply offers; channels render it as a button (Telegram inline keyboard, Slack Block Kit
 * button, WhatsApp reply button). Pressing it sends {@code value} back as a {@link Content.Callback}.
 *
 * @param label what the button shows
 * @param value what pressing it sends back
 */
public record Choice(String label, String value) {
  public Choice {
    if (label == null || label.isBlank() || value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a choice needs a label and a value");
    }
  }
}
