package dev.switchboard.spi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimeBoundedTextTest {

  @Test
  void aCatastrophicPatternIsCutOffAndAnOrdinaryOneMatches() {
    Pattern evil = Pattern.compile("(.*\\s.*){6}x");
    String text = "a b c d e f g h i j k l m n o p q r "; // unbounded, this backtracks for seconds
    assertThrows(TimeBoundedText.Expired.class, () -> evil.matcher(TimeBoundedText.of(text)).find());
    assertTrue(Pattern.compile("\\bhours?\\b").matcher(TimeBoundedText.of("opening hours please")).find());
  }
}
