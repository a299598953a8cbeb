package dev.switchboard.app.pipeline;

/**
 * What turns remember of a conversation for a language model: nothing when {@code turns} is 0.
 *
 * @param turns most exchanges kept
 * @param chars most characters kept
 */
public record HistoryLimits(int turns, int chars) {
  public static final HistoryLimits OFF = new HistoryLimits(0, 0);
}
