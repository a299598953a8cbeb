package dev.switchboard.channels;

/**
 * Checks on text that came from outside, before it is stored: PostgreSQL cannot store NUL characters, and a
 * lone UTF-16 surrogate would be silently mangled on the way to UTF-8.
 */
public final class TextRules {
  private TextRules() {}

  /** Why {@code text} cannot be stored, or {@code null} when it can. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "must not contain NUL characters";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return "contains an invalid UTF-16 surrogate";
        }
      } else if (Character.isLowSurrogate(c)) {
        return "contains an invalid UTF-16 surrogate";
      }
    }
    return null;
  }
}
