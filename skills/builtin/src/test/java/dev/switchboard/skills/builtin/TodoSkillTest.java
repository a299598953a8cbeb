package dev.switchboard.skills.builtin;

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
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in skills as pure functions of message and state. */
class TodoSkillTest {
  private final TodoSkill todo = new TodoSkill();
  private final JsonObject state = new JsonObject();

  @Test
  void addListDone() {
    assertEquals("Your list is empty. Add something with /todo add <item>.", say("/todo list"));
    assertEquals("Added \"milk\". You have 1 item.", say("/todo add milk"));
    assertEquals("Added \"call Bob at 5\". You have 2 items.", say("/todo add   call Bob at 5"));
    assertEquals("Your list:\n1. milk\n2. call Bob at 5", say("/todo"));
    assertEquals("Done: \"milk\". 1 left.", say("/todo done 1"));
    assertEquals("There is no item 3; your list has 1 item.", say("/todo done 3"));
    assertEquals("Tell me which item by its number, like /todo done 1.", say("/todo done first"));
    assertTrue(say("/todo frobnicate").startsWith("I don't know \"/todo frobnicate\"."));
  }

  @Test
  void addWithoutItemAsksAndTakesTheNextMessage() {
    SkillResponse question = handle("/todo add");
    assertEquals(List.of(Reply.text("What should I add?")), question.replies());
    assertTrue(question.awaitingAnswer());
    SkillResponse answer = handle("  water the plants ");
    assertFalse(answer.awaitingAnswer());
    assertEquals("Added \"water the plants\". You have 1 item.", answer.replies().get(0).text());
    // the question was answered: plain text is not taken as an item again
    assertEquals("Your list:\n1. water the plants", say("and more"));
  }

  @Test
  void requestsInWordsAddOrList() {
    assertEquals("Added \"milk\". You have 1 item.", say("Add milk to my shopping list!"));
    assertEquals("Added \"call mom\". You have 2 items.", say("remind me to call mom"));
    assertEquals("Your list:\n1. milk\n2. call mom", say("what's on my list?"));
  }

  @Test
  void aCommandInsteadOfTheAnswerCancelsTheQuestion() {
    handle("/todo add");
    assertEquals("Your list is empty. Add something with /todo add <item>.", say("/todo list"));
    assertEquals("Your list is empty. Add something with /todo add <item>.", say("milk"));
  }

  @Test
  void listAndItemsAreBounded() {
    assertEquals("That item is too long; keep it under 500 characters.", say("/todo add " + "x".repeat(501)));
    for (int i = 0; i < TodoSkill.MAX_ITEMS; i++) {
      say("/todo add item " + i);
    }
    assertEquals("Your list is full (100 items). Mark some done first.", say("/todo add one more"));
  }

  @Test
  void helpListsSkillsWithCommands() {
    SkillDescriptor weather = SkillDescriptor.builder("weather").description("Forecasts").commands("weather").build();
    List<SkillDescriptor> catalog = List.of(new ChatSkill().descriptor(), new HelpSkill().descriptor(),
        todo.descriptor(), weather);
    String help = new HelpSkill().handle(envelope("/help"), context(catalog)).replies().get(0).text();
    assertEquals("Here is what I can do:\n/help - Lists what I can do\n"
        + "/todo - Keeps a to-do list: /todo add <item>, /todo list, /todo done <n>\n/weather - Forecasts", help);
  }

  @Test
  void withoutALanguageModelTheChatFallbackSaysSoAndPointsToHelp() {
    ChatSkill fallback = new ChatSkill();
    assertEquals("I don't know the command /nope. Send /help to see what I can do.",
        fallback.handle(envelope("/nope"), context(List.of())).replies().get(0).text());
    assertEquals("Sorry, I didn't understand that, and no language model is configured for free chat. "
        + "Send /help to see what I can do.",
        fallback.handle(envelope("hmm"), context(List.of())).replies().get(0).text());
  }

  private String say(String text) {
    return handle(text).replies().get(0).text();
  }

  private SkillResponse handle(String text) {
    return todo.handle(envelope(text), context(List.of()));
  }

  private static Envelope envelope(String text) {
    Content content = Content.Command.parse(text);
    ChannelId channel = ChannelId.WEBHOOK;
    return new Envelope(new MessageId("m"), channel, new ConversationKey(channel, "c"), Sender.of("u"),
        content != null ? content : new Content.Text(text), null, null, Instant.now(), text.length());
  }

  private SkillContext context(List<SkillDescriptor> catalog) {
    return new SkillContext() {
      @Override
      public ConversationKey conversation() {
        return new ConversationKey(ChannelId.WEBHOOK, "c");
      }

      @Override
      public Sender sender() {
        return Sender.of("u");
      }

      @Override
      public ChannelId channel() {
        return ChannelId.WEBHOOK;
      }

      @Override
      public JsonObject state() {
        return state;
      }

      @Override
      public JsonObject config() {
        return new JsonObject();
      }

      @Override
      public List<SkillDescriptor> catalog() {
        return catalog;
      }

      @Override
      public System.Logger logger() {
        return System.getLogger("test");
      }
    };
  }
}
