package com.example.switchboard.dice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiceRollTest {

  @ParameterizedTest
  @CsvSource({
      "2d6, 2, 6, 0",
      "d20, 1, 20, 0",
      "1d6, 1, 6, 0",
      "3d6+2, 3, 6, 2",
      "2D8-1, 2, 8, -1",
      "'3d6 + 2', 3, 6, 2",
      "100d1000+1000, 100, 1000, 1000",
  })
  void readsTheUsualNotation(String text, int count, int sides, int modifier) {
    assertEquals(new DiceRoll(count, sides, modifier), DiceRoll.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"banana", "2d", "d", "2x6", "2d6+", "2d6+1+1", "-2d6", "9999999999d6", ""})
  void refusesWhatIsNotDice(String text) {
    assertEquals("I couldn't read that as dice.",
        assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse(text)).getMessage());
  }

  @Test
  void keepsTheNumbersSane() {
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("0d6"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("101d6"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("2d1"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("2d1001"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("d6+1001"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("d6-1001"));
    assertThrows(IllegalArgumentException.class, () -> DiceRoll.parse("999999999d999999999+999999999"));
  }

  @Test
  void describesTheRoll() {
    assertEquals("🎲 2d6: 3 + 5 = 8", DiceRoll.parse("2d6").roll(faces(3, 5)));
    assertEquals("🎲 d20: 14", DiceRoll.parse("d20").roll(faces(14)));
    assertEquals("🎲 3d6+2: 4 + 1 + 6 (+2) = 13", DiceRoll.parse("3d6+2").roll(faces(4, 1, 6)));
    assertEquals("🎲 d8-1: 1 (-1) = 0", DiceRoll.parse("1d8-1").roll(faces(1)));
  }

  @Test
  void findsDiceInFreeText() {
    assertEquals(Optional.of("2d6"), DiceRoll.findIn("please roll 2d6 for me"));
    assertEquals(Optional.of("d20 + 3"), DiceRoll.findIn("throw a d20 + 3!"));
    assertEquals(Optional.empty(), DiceRoll.findIn("roll the dice"));
    assertEquals(Optional.empty(), DiceRoll.findIn("I take vitamin2d6 daily")); // not a word of its own
  }

  /** A generator that returns the given faces in turn and checks they are in range. */
  static RandomGenerator faces(int... faces) {
    return new RandomGenerator() {
      private int next;

      @Override
      public int nextInt(int origin, int bound) {
        int face = faces[next++ % faces.length];
        if (face < origin || face >= bound) {
          throw new AssertionError(face + " is not in [" + origin + ", " + bound + ")");
        }
        return face;
      }

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("dice are rolled with nextInt(origin, bound)");
      }
    };
  }
}
