package com.example.switchboard.dice;

import java.util.Optional;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dice expression in the usual notation: {@code 2d6} (two six-sided dice), {@code d20} (one die),
 * {@code 3d6+2} (three dice plus two). Pure: parsing and formatting, no I/O.
 *
 * @param count how many dice, 1 to {@value #MAX_DICE}
 * @param sides sides of each die, {@value #MIN_SIDES} to {@value #MAX_SIDES}
 * @param modifier added to the sum, -{@value #MAX_MODIFIER} to {@value #MAX_MODIFIER}
 */
record DiceRoll(int count, int sides, int modifier) {
  static final int MAX_DICE = 100;
  static final int MIN_SIDES = 2;
  static final int MAX_SIDES = 1000;
  static final int MAX_MODIFIER = 1000;

  /** What a plain {@code /roll} rolls. */
  static final DiceRoll ONE_D6 = new DiceRoll(1, 6, 0);

  // At most 9 digits per number, so every match fits in an int and the bounds below give the message.
  private static final Pattern NOTATION =
      Pattern.compile("(\\d{1,9})?d(\\d{1,9})(?:([+-])(\\d{1,9}))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern IN_TEXT = Pattern.compile(
      "(?<![\\p{L}\\p{N}])\\d{0,9}d\\d{1,9}(?:\\s*[+-]\\s*\\d{1,9})?(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);

  /** @throws IllegalArgumentException with a message fit to show the sender */
  DiceRoll {
    if (count < 1) {
      throw new IllegalArgumentException("I need at least one die to roll.");
    }
    if (count > MAX_DICE) {
      throw new IllegalArgumentException("That's a lot of dice: I roll at most " + MAX_DICE + " at once.");
    }
    if (sides < MIN_SIDES || sides > MAX_SIDES) {
      throw new IllegalArgumentException("Dice need " + MIN_SIDES + " to " + MAX_SIDES + " sides.");
    }
    if (Math.abs(modifier) > MAX_MODIFIER) {
      throw new IllegalArgumentException("Keep the bonus between -" + MAX_MODIFIER + " and +" + MAX_MODIFIER + ".");
    }
  }

  /**
   * Reads an expression such as {@code 2d6}, {@code D20} or {@code 3d6 + 2} (spaces are ignored).
   *
   * @throws IllegalArgumentException with a message fit to show the sender
   */
  static DiceRoll parse(String text) {
    Matcher m = NOTATION.matcher(text.replaceAll("\\s+", ""));
    if (!m.matches()) {
      throw new IllegalArgumentException("I couldn't read that as dice.");
    }
    int count = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
    int sides = Integer.parseInt(m.group(2));
    int modifier = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    return new DiceRoll(count, sides, "-".equals(m.group(3)) ? -modifier : modifier);
  }

  /** The first dice expression in free text ("roll 2d6 for me" gives {@code 2d6}), if there is one. */
  static Optional<String> findIn(String text) {
    Matcher m = IN_TEXT.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /** The expression in canonical form: {@code d20}, {@code 2d6}, {@code 3d6+2}, {@code 2d8-1}. */
  String notation() {
    String dice = (count == 1 ? "" : Integer.toString(count)) + "d" + sides;
    return modifier == 0 ? dice : dice + (modifier > 0 ? "+" : "-") + Math.abs(modifier);
  }

  /** Rolls the dice and describes the result: {@code 🎲 2d6: 3 + 5 = 8}, {@code 🎲 d20: 14}. */
  String roll(RandomGenerator random) {
    StringJoiner dice = new StringJoiner(" + ");
    int total = modifier;
    for (int i = 0; i < count; i++) {
      int face = random.nextInt(1, sides + 1);
      dice.add(Integer.toString(face));
      total += face;
    }
    String text = "🎲 " + notation() + ": " + dice;
    if (count == 1 && modifier == 0) {
      return text;
    }
    if (modifier != 0) {
      text += " (" + (modifier > 0 ? "+" : "-") + Math.abs(modifier) + ")";
    }
    return text + " = " + total;
  }
}
