package dev.switchboard.spi;

import java.util.List;

/** One message a skill sends back. */
public sealed interface Reply {

  /** The reply's text. */
  String text();

  /** Plain text. */
  record Text(String text) implements Reply {
    public Text {
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException("reply text is required");
      }
    }
  }

  /** Text with options to pick from, rendered natively by each channel. */
  record Choices(String text, List<Choice> choices) implements Reply {
    public Choices {
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException("reply text is required");
      }
      choices = List.copyOf(choices);
      if (choices.isEmpty()) {
        throw new IllegalArgumentException("at least one choice is required");
      }
    }
  }

  /** A plain text reply. */
  static Reply text(String text) {
    return new Text(text);
  }

  /** Text with buttons (or a numbered list where the channel has no buttons). */
  static Reply choices(String text, Choice... choices) {
    return new Choices(text, List.of(choices));
  }
}
