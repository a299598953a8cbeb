package dev.switchboard.channels;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a long reply into messages a platform accepts: at most {@code max} UTF-16 units each, never inside a
 * surrogate pair, at a newline or space where there is one.
 */
public final class TextChunks {
  private TextChunks() {}

  /** Splits at the last newline, else the last space, else anywhere safe, within each {@code max} units. */
  public static List<String> split(String text, int max) {
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
