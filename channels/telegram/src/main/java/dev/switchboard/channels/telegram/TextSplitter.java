package dev.switchboard.channels.telegram;

import java.util.ArrayList;
import java.util.List;

/** Cuts a long text into messages Telegram accepts: at most {@code max} UTF-16 units, never inside a pair. */
final class TextSplitter {
  private TextSplitter() {}

  /** Splits at the last newline, else the last space, else anywhere safe, within each {@code max} units. */
  static List<String> split(String text, int max) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (text.length() - start > max) {
      int end = start + max;
      int cut = text.lastIndexOf('\n', end - 1);
      if (cut <= start) {
        cut = text.lastIndexOf(' ', end - 1);
      }
      if (cut <= start) {
        cut = Character.isLowSurrogate(text.charAt(end)) ? end - 1 : end;
      }
      parts.add(text.substring(start, cut));
      start = cut;
      while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == ' ')) {
        start++;
      }
    }
    if (start < text.length()) {
      parts.add(text.substring(start));
    }
    return parts;
  }
}
