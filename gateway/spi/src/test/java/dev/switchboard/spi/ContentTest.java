package dev.switchboard.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentTest {

  @Test
  void commandIsReadWithItsArguments() {
    Content.Command c = Content.Command.parse("  /Todo   add  oat milk ");
    assertEquals("todo", c.name());
    assertEquals(List.of("add", "oat", "milk"), c.args());
    assertEquals("add  oat milk", c.argText());
    assertEquals("/todo add  oat milk", c.text());
  }

  @Test
  void textThatIsNotACommand() {
    assertNull(Content.Command.parse("hello /todo"));
    assertNull(Content.Command.parse("/"));
    assertNull(Content.Command.parse("/ todo"));
    assertNull(Content.Command.parse("/path/to/file"));
    assertEquals("help", Content.Command.parse("/help").name());
  }

  @Test
  void keywordsMatchWholeWordsOnly() {
    assertTrue(Skill.containsWord("can you help me", "help"));
    assertTrue(Skill.containsWord("help!", "help"));
    assertFalse(Skill.containsWord("helpful", "help"));
    assertFalse(Skill.containsWord("unhelp", "help"));
    assertTrue(Skill.containsWord("my to do list", "to do"));
  }

  @Test
  void defaultMatchUsesKeywordsAndPatterns() {
    Skill skill = new Skill() {
      @Override
      public SkillDescriptor descriptor() {
        return SkillDescriptor.builder("weather").keywords("Weather").patterns("\\bforecast\\b").build();
      }

      @Override
      public SkillResponse handle(Envelope envelope, SkillContext context) {
        return SkillResponse.none();
      }
    };
    assertEquals(1.0, skill.match(text("What's the WEATHER like?")));
    assertEquals(1.0, skill.match(text("forecast please")));
    assertEquals(0.0, skill.match(text("weatherproof jacket")));
  }

  @Test
  void responsesAreForTheSenderUnlessMadeForEveryone() {
    SkillResponse answer = SkillResponse.reply("shipped");
    assertFalse(answer.visibleToAll());
    assertTrue(answer.toEveryone().visibleToAll());
    assertEquals(answer.replies(), answer.toEveryone().replies());
    assertTrue(SkillResponse.ask("What?").toEveryone().awaitingAnswer());
  }

  @Test
  void envelopeChecksItsParts() {
    ChannelId webhook = ChannelId.WEBHOOK;
    ConversationKey otherChannel = new ConversationKey(new ChannelId("telegram"), "1");
    assertThrows(IllegalArgumentException.class, () -> new Envelope(new MessageId("m"), webhook, otherChannel,
        Sender.of("a"), new Content.Text("hi"), null, null, Instant.now(), 2));
    assertThrows(IllegalArgumentException.class, () -> new MessageId("a\nb"));
    assertThrows(IllegalArgumentException.class, () -> new ChannelId("Web Hook"));
    assertThrows(IllegalArgumentException.class, () -> SkillDescriptor.builder("Bad Name").build());
  }

  private static Envelope text(String text) {
    return new Envelope(new MessageId("m1"), ChannelId.WEBHOOK, new ConversationKey(ChannelId.WEBHOOK, "c"),
        Sender.of("u"), new Content.Text(text), null, null, Instant.now(), text.length());
  }
}
