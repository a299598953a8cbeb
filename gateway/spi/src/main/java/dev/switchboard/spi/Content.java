package dev.switchboard.spi;

import java.util.List;

/** What a message carries. Each channel maps its payloads onto exactly one of these. */
public sealed interface Content {

  /** The content as plain text, as a person would read it. */
  String text();

  /**
   * Plain text.
   *
   * @param text what the person wrote
   */
  record Text(String text) implements Content {
    public Text {
      if (text == null) {
        throw new IllegalArgumentException("text is required");
      }
    }
  }

  /**
   * A command such as {@code /todo add milk}.
   *
   * @param name the command without its slash, lower-case ({@code todo})
   * @param args the words after the command ({@code [add, milk]})
   * @param argText everything after the command, as written ({@code add milk}); empty when there is none
   */
  record Command(String name, List<String> args, String argText) implements Content {
    public Command {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("command name is required");
      }
      args = List.copyOf(args);
      argText = argText == null ? "" : argText;
    }

    @Override
    public String text() {
      return argText.isEmpty() ? "/" + name : "/" + name + " " + argText;
    }

    /**
     * Reads {@code text} as a command when it starts with a slash followed by a name.
     *
     * @return the command, or {@code null} when the text is not one
     */
    public static Command parse(String text) {
      String trimmed = text.strip();
      if (trimmed.length() < 2 || trimmed.charAt(0) != '/') {
        return null;
      }
      int end = 1;
      while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
        end++;
      }
      String name = trimmed.substring(1, end);
      if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return null;
      }
      String rest = trimmed.substring(end).strip();
      List<String> args = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
      return new Command(name.toLowerCase(java.util.Locale.ROOT), args, rest);
    }
  }

  /**
   * A photo, document, voice note or other file, by reference; the gateway never downloads it on ingress.
   *
   * @param kind {@code photo}, {@code document}, {@code audio}, {@code video}, ...
   * @param ref the channel's reference to fetch it (file id, URL, media id)
   * @param caption the caption, or empty
   */
  record Media(String kind, String ref, String caption) implements Content {
    public Media {
      if (kind == null || ref == null) {
        throw new IllegalArgumentException("media kind and ref are required");
      }
      caption = caption == null ? "" : caption;
    }

    @Override
    public String text() {
      return caption;
    }
  }

  /**
   * A button press or other callback.
   *
   * @param data the value the button carried
   * @param label the button's label when the channel says it, else empty
   */
  record Callback(String data, String label) implements Content {
    public Callback {
      if (data == null) {
        throw new IllegalArgumentException("callback data is required");
      }
      label = label == null ? "" : label;
    }

    @Override
    public String text() {
      return data;
    }
  }
}
