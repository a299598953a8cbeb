package dev.switchboard.spi;

/**
 * Text for a regular expression that may backtrack badly: reading it after the deadline throws
 * {@link Expired}, so one bad pattern cannot hold an event loop. The check is on every character read, which is
 * how the regex engine sees the text. {@link Skill#match}'s default uses it for the descriptor's patterns; use it
 * for your own patterns in a {@code match} of yours:
 * {@code pattern.matcher(TimeBoundedText.of(text)).find()}, treating {@link Expired} as no match.
 */
public final class TimeBoundedText implements CharSequence {
  /** Longest one pattern may take on one message. */
  public static final long DEFAULT_BUDGET_NANOS = 20_000_000;

  /** The pattern ran out of time. */
  public static final class Expired extends RuntimeException {
    Expired() {
      super("regular expression took too long", null, false, false);
    }
  }

  private final CharSequence text;
  private final long deadline;

  private TimeBoundedText(CharSequence text, long deadline) {
    this.text = text;
    this.deadline = deadline;
  }

  /** {@code text}, readable for {@link #DEFAULT_BUDGET_NANOS} from now. */
  public static TimeBoundedText of(CharSequence text) {
    return new TimeBoundedText(text, System.nanoTime() + DEFAULT_BUDGET_NANOS);
  }

  @Override
  public char charAt(int index) {
    if (System.nanoTime() > deadline) {
      throw new Expired();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new TimeBoundedText(text.subSequence(start, end), deadline);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
