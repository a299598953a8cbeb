package com.example.switchboard.dice;

import static com.example.switchboard.dice.DiceRollTest.faces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.SkillResponse;
import dev.switchboard.spi.testkit.TestBot;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiceSkillTest {

  @Test
  void rollsWhatTheCommandSays() {
    assertEquals(List.of("🎲 2d6: 3 + 5 = 8"), TestBot.of(new DiceSkill(faces(3, 5))).say("/roll 2d6"));
  }

  @Test
  void rollsOneD6ByDefault() {
    assertEquals(List.of("🎲 d6: 4"), TestBot.of(new DiceSkill(faces(4))).say("/roll"));
  }

  @Test
  void answersBadInputWithUsage() {
    TestBot bot = TestBot.of(new DiceSkill(faces(1)));
    SkillResponse response = bot.send("/roll 500d6");
    assertEquals("That's a lot of dice: I roll at most 100 at once. " + DiceSkill.USAGE,
        response.replies().get(0).text());
    assertFalse(response.awaitingAnswer());
    assertTrue(bot.state().isEmpty(), "a roll keeps nothing in the conversation");
  }

  @Test
  void answersKeywords() {
    TestBot bot = TestBot.of(new DiceSkill(faces(2, 6)));
    assertEquals(1.0, bot.match("Can you roll the dice?"));
    assertEquals(1.0, bot.match("roll 2d6 please"));
    assertEquals(0.0, bot.match("what is for dinner"));
    assertEquals(List.of("🎲 2d6: 2 + 6 = 8"), bot.say("roll 2d6 please"));
  }

  @Test
  void describesItself() {
    var d = new DiceSkill().descriptor();
    assertEquals("dice", d.name());
    assertEquals(List.of("roll"), d.commands());
    assertEquals("dev", d.version()); // no JAR manifest when run from target/classes
    assertTrue(TestBot.of(new DiceSkill()).send("/roll d20").visibleToAll());
  }
}
