package dev.switchboard.spi;

/**
 * One message of a conversation as a language model sees it.
 *
 * @param role {@code user} (what the person said) or {@code assistant} (what the bot answered)
 * @param text the message's text
 */
public record ChatMessage(String role, String text) {
  /** The person's side. */
  public static final String USER = "user";
  /** The bot's side. */
  public static final String ASSISTANT = "assistant";

  public ChatMessage {
    if (!USER.equals(role) && !ASSISTANT.equals(role)) {
      throw new IllegalArgumentException("role must be user or assistant: " + role);
    }
    text = text == null ? "" : text;
  }

  /** What the person said. */
  public static ChatMessage user(String text) {
    return new ChatMessage(USER, text);
  }

  /** What the bot answered. */
  public static ChatMessage assistant(String text) {
    return new ChatMessage(ASSISTANT, text);
  }
}
