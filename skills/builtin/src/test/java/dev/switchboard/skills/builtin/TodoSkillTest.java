package dev.switchboard.skills.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.Reply;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import dev.switchboard.spi.testkit.TestBot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in skills in a test bot: messages in, replies and the kept state out. */
class TodoSkillTest {
  private final TodoSkill todo = new TodoSkill();
  private final TestBot bot = TestBot.of(todo);

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
    String help = TestBot.of(new HelpSkill()).catalog(catalog).say("/help").get(0);
    assertEquals("Here is what I can do:\n/help - Lists what I can do\n"
        + "/todo - Keeps a to-do list: /todo add <item>, /todo list, /todo done <n>\n/weather - Forecasts", help);
  }

  @Test
  void withoutALanguageModelTheChatFallbackSaysSoAndPointsToHelp() {
    TestBot fallback = TestBot.of(new ChatSkill());
    assertEquals(List.of("I don't know the command /nope. Send /help to see what I can do."), fallback.say("/nope"));
    assertEquals(List.of("Sorry, I didn't understand that, and no language model is configured for free chat. "
        + "Send /help to see what I can do."), fallback.say("hmm"));
  }

  private String say(String text) {
    return bot.say(text).get(0);
  }

  private SkillResponse handle(String text) {
    return bot.send(text);
  }
}
