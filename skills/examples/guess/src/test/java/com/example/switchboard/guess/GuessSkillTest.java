package com.example.switchboard.guess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.SkillResponse;
import dev.switchboard.spi.testkit.TestBot;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class GuessSkillTest {
  private final GuessSkill skill = new GuessSkill(secret(42));
  private final TestBot bot = TestBot.of(skill);

  @Test
  void playsAGame() {
    assertAsks("I'm thinking of a number between 1 and 100. Your guess?", send("/guess"));
    assertEquals(42, bot.state().getInteger("secret"));
    assertAsks("Lower!", send("50"));
    assertAsks("Higher!", send("is it 30?"));
    assertAsks("That's not a number. Guess a whole number from 1 to 100, or say stop to give up.", send("hmm"));
    assertAsks("Between 1 and 100, please.", send("101"));

    SkillResponse won = send("42");
    assertFalse(won.awaitingAnswer(), "a finished game lets go of the conversation");
    assertEquals("🎉 Got it in 3 tries! It was 42.", won.replies().get(0).text());
    assertEquals(List.of(new Choice("Play again", "/guess")),
        assertInstanceOf(Reply.Choices.class, won.replies().get(0)).choices());
    assertTrue(bot.state().isEmpty(), "nothing is left in the session");
  }

  @Test
  void countsOneTry() {
    send("/guess");
    assertEquals("🎉 Got it in 1 try! It was 42.", send("/guess 42").replies().get(0).text());
  }

  @Test
  void givesUp() {
    send("/guess");
    send("10");
    SkillResponse response = send("/guess stop");
    assertFalse(response.awaitingAnswer());
    assertEquals("It was 42. Better luck next time!", response.replies().get(0).text());
    assertTrue(bot.state().isEmpty());
    assertEquals(List.of("There's no game on. Start one with /guess."), texts(send("/guess stop")));
  }

  @Test
  void givesUpInWordsToo() {
    send("/guess");
    assertEquals("It was 42. Better luck next time!", send("Give up").replies().get(0).text());
  }

  @Test
  void playAgainButtonStartsANewGame() {
    send("/guess");
    send("42");
    Envelope pressed = bot.envelope(new Content.Callback("/guess", "Play again"));
    assertEquals("guess", pressed.command().name(), "the button's value is routed as the command it holds");
    assertAsks("I'm thinking of a number between 1 and 100. Your guess?", bot.press("/guess", "Play again"));
  }

  @Test
  void remindsWhenStartedTwice() {
    send("/guess");
    send("50");
    assertAsks("We're playing: guess a number from 1 to 100 (1 try so far). /guess stop gives up.", send("/guess"));
    assertEquals(1, bot.state().getInteger("tries"));
  }

  @Test
  void startsFromKeywordsWithoutTakingTheirNumbers() {
    assertEquals(1.0, bot.match("let's play guess a number 1 to 10"));
    assertAsks("I'm thinking of a number between 1 and 100. Your guess?", bot.send("let's play guess a number 1 to 10"));
    assertEquals(0, bot.state().getInteger("tries"));
  }

  @Test
  void aGuessWithNoGameOnStartsOne() {
    assertAsks("Lower!", send("/guess 50"));
    assertEquals(1, bot.state().getInteger("tries"));
  }

  @Test
  void readsMaxFromTheSettings() {
    assertAsks("I'm thinking of a number between 1 and 20. Your guess?", start(20));
    assertAsks("I'm thinking of a number between 1 and 100. Your guess?", start("lots"));
    assertAsks("I'm thinking of a number between 1 and 250. Your guess?", start("250"));
    assertAsks("I'm thinking of a number between 1 and " + GuessSkill.LOWEST_MAX + ". Your guess?", start(1));
    assertAsks("I'm thinking of a number between 1 and " + GuessSkill.HIGHEST_MAX + ". Your guess?",
        start(Long.MAX_VALUE));
  }

  /** A game started with {@code skills.config.guess.max} set to {@code max}. */
  private static SkillResponse start(Object max) {
    return TestBot.of(new GuessSkill(secret(7))).config(new JsonObject().put("max", max)).send("/guess");
  }

  @Test
  void forgetsAStateItCannotRead() {
    bot.state().put("secret", "not a number");
    assertAsks("I'm thinking of a number between 1 and 100. Your guess?", send("7"));
    assertEquals(42, bot.state().getInteger("secret"));
  }

  private SkillResponse send(String text) {
    return bot.send(text);
  }

  private static void assertAsks(String question, SkillResponse response) {
    assertEquals(List.of(question), texts(response));
    assertTrue(response.awaitingAnswer(), "keeps the conversation");
  }

  private static List<String> texts(SkillResponse response) {
    return response.replies().stream().map(Reply::text).toList();
  }

  /** Always picks {@code secret} (checking it is in the requested range). */
  private static RandomGenerator secret(int secret) {
    return new RandomGenerator() {
      @Override
      public int nextInt(int origin, int bound) {
        if (secret < origin || secret >= bound) {
          throw new AssertionError(secret + " is not in [" + origin + ", " + bound + ")");
        }
        return secret;
      }

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("secrets are picked with nextInt(origin, bound)");
      }
    };
  }
}
