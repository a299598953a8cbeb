package com.example.switchboard.dice;

import static com.example.switchboard.dice.DiceRollTest.faces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.SkillResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiceSkillTest {

  @Test
  void rollsWhatTheCommandSays() {
    assertEquals(List.of("🎲 2d6: 3 + 5 = 8"), texts(new DiceSkill(faces(3, 5)).handle(message("/roll 2d6"), null)));
  }

  @Test
  void rollsOneD6ByDefault() {
    assertEquals(List.of("🎲 d6: 4"), texts(new DiceSkill(faces(4)).handle(message("/roll"), null)));
  }

  @Test
  void answersBadInputWithUsage() {
    SkillResponse response = new DiceSkill(faces(1)).handle(message("/roll 500d6"), null);
    assertEquals(List.of("That's a lot of dice: I roll at most 100 at once. " + DiceSkill.USAGE), texts(response));
    assertFalse(response.awaitingAnswer());
  }

  @Test
  void answersKeywords() {
    DiceSkill skill = new DiceSkill(faces(2, 6));
    assertEquals(1.0, skill.match(message("Can you roll the dice?")));
    assertEquals(1.0, skill.match(message("roll 2d6 please")));
    assertEquals(0.0, skill.match(message("what is for dinner")));
    assertEquals(List.of("🎲 2d6: 2 + 6 = 8"), texts(skill.handle(message("roll 2d6 please"), null)));
  }

  @Test
  void describesItself() {
    var d = new DiceSkill().descriptor();
    assertEquals("dice", d.name());
    assertEquals(List.of("roll"), d.commands());
    assertEquals("dev", d.version()); // no JAR manifest when run from target/classes
    assertTrue(new DiceSkill().handle(message("/roll d20"), null).visibleToAll());
  }

  // The dice skill never reads its context, so these tests pass null for it.
  private static Envelope message(String text) {
    Content.Command command = Content.Command.parse(text);
    ConversationKey conversation = new ConversationKey(ChannelId.WEBHOOK, "test");
    return new Envelope(new MessageId("m1"), ChannelId.WEBHOOK, conversation, Sender.of("tester"),
        command != null ? command : new Content.Text(text), null, null, Instant.now(), text.length());
  }

  private static List<String> texts(SkillResponse response) {
    return response.replies().stream().map(Reply::text).toList();
  }
}
