package com.example.switchboard.guess;

import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number-guessing game: {@code /guess} picks a number from 1 to {@code max} and asks for guesses, answering
 * "Higher!" or "Lower!" until it is found; {@code /guess stop} gives up. While a game is on, the conversation's
 * next message comes back here ({@link SkillResponse#ask}), so a plain "42" is a guess.
 *
 * <p>One instance serves every conversation at once, on many threads: the game lives only in
 * {@link SkillContext#state()}, never in a field.
 *
 * <p>Settings ({@code skills.config.guess.*}): {@code max}, the top of the range, default {@value #DEFAULT_MAX}.
 */
public final class GuessSkill implements Skill {
  static final int DEFAULT_MAX = 100;
  static final int LOWEST_MAX = 10;
  static final int HIGHEST_MAX = 1_000_000;
  /** What the "Play again" button sends back; typing it works too, on channels without buttons. */
  static final String PLAY_AGAIN = "/guess";

  private static final String COMMAND = "guess";
  private static final Set<String> GIVE_UP = Set.of("stop", "quit", "give up", "giveup", "end");
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d{1,9}");

  private final SkillDescriptor descriptor;
  private final Supplier<RandomGenerator> random;

  /** The constructor the gateway uses (through {@link java.util.ServiceLoader}). */
  public GuessSkill() {
    this(ThreadLocalRandom::current); // one generator per thread: handle() runs on many threads at once
  }

  /** For tests: picks secrets with {@code random}. */
  GuessSkill(RandomGenerator random) {
    this(() -> random);
  }

  private GuessSkill(Supplier<RandomGenerator> random) {
    this.random = Objects.requireNonNull(random);
    String version = getClass().getPackage().getImplementationVersion(); // from the JAR's manifest
    this.descriptor = SkillDescriptor.builder("guess")
        .description("A number-guessing game: /guess to start, /guess stop to give up")
        .version(version == null ? "dev" : version)
        .commands(COMMAND)
        .keywords("guessing game", "guess the number", "guess a number")
        .examples("let's play a guessing game", "I want to guess a number", "play guess the number")
        .build();
  }

  @Override
  public SkillDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    JsonObject state = context.state();
    Game game = Game.from(state).orElse(null);
    Content.Command command = commandIn(envelope);
    String said = (command != null ? command.argText() : envelope.text()).strip().toLowerCase(Locale.ROOT);

    if (said.isEmpty()) {
      return game == null ? start(state, context) : remind(game);
    }
    if (GIVE_UP.contains(said)) {
      return game == null ? SkillResponse.reply("There's no game on. Start one with /guess.") : giveUp(state, game);
    }
    if (command != null && said.equals("new")) {
      return start(state, context);
    }
    Integer number = firstNumber(said);
    if (game == null) {
      if (command != null && number == null) {
        return SkillResponse.reply("Use /guess to start a game, /guess <number> to guess, /guess stop to give up.");
      }
      // "let's play a guessing game", or "/guess 50" with no game on: start one (and take 50 as the first guess).
      game = newGame(context);
      game.saveTo(state);
      if (command == null || number == null) {
        return SkillResponse.ask(rangeQuestion(game));
      }
    }
    if (number == null) {
      return SkillResponse.ask("That's not a number. Guess a whole number from 1 to " + game.max()
          + ", or say stop to give up.");
    }
    return guess(state, game, number);
  }

  /** Checks one guess and answers it; ends the game when it is right. */
  private static SkillResponse guess(JsonObject state, Game game, int number) {
    if (number < 1 || number > game.max()) {
      return SkillResponse.ask("Between 1 and " + game.max() + ", please.");
    }
    Game next = game.guessedOnce();
    if (number == next.secret()) {
      Game.clear(state);
      String tries = next.tries() == 1 ? "1 try" : next.tries() + " tries";
      return gameOver("🎉 Got it in " + tries + "! It was " + next.secret() + ".");
    }
    next.saveTo(state);
    return SkillResponse.ask(number < next.secret() ? "Higher!" : "Lower!");
  }

  private SkillResponse start(JsonObject state, SkillContext context) {
    Game game = newGame(context);
    game.saveTo(state);
    return SkillResponse.ask(rangeQuestion(game));
  }

  private Game newGame(SkillContext context) {
    int max = maxFrom(context);
    return new Game(random.get().nextInt(1, max + 1), max, 0);
  }

  private static SkillResponse remind(Game game) {
    String tries = game.tries() == 1 ? "1 try" : game.tries() + " tries";
    return SkillResponse.ask("We're playing: guess a number from 1 to " + game.max() + " (" + tries
        + " so far). /guess stop gives up.");
  }

  private static SkillResponse giveUp(JsonObject state, Game game) {
    Game.clear(state);
    return gameOver("It was " + game.secret() + ". Better luck next time!");
  }

  /** Ends the game: the text, a "Play again" button, and the conversation let go. */
  private static SkillResponse gameOver(String text) {
    return SkillResponse.of(Reply.choices(text, new Choice("Play again", PLAY_AGAIN)));
  }

  private static String rangeQuestion(Game game) {
    return "I'm thinking of a number between 1 and " + game.max() + ". Your guess?";
  }

  /** A typed {@code /guess ...}, or a pressed button whose value is one (the SPI reads both as commands). */
  private static Content.Command commandIn(Envelope envelope) {
    Content.Command command = envelope.command();
    return command != null && command.name().equals(COMMAND) ? command : null;
  }

  /** The first whole number in {@code text} ("42", "is it 42?"), or {@code null}. */
  static Integer firstNumber(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Integer.valueOf(m.group()) : null;
  }

  /** {@code max} from the settings, kept within {@value #LOWEST_MAX}..{@value #HIGHEST_MAX}. */
  static int maxFrom(SkillContext context) {
    Object value = context.config().getValue("max");
    if (value == null) {
      return DEFAULT_MAX;
    }
    long max;
    try {
      max = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
    } catch (NumberFormatException e) {
      context.logger().log(System.Logger.Level.WARNING,
          "skills.config.guess.max is not a whole number; using {0}", String.valueOf(DEFAULT_MAX));
      return DEFAULT_MAX;
    }
    if (max < LOWEST_MAX || max > HIGHEST_MAX) {
      long kept = Math.max(LOWEST_MAX, Math.min(HIGHEST_MAX, max));
      context.logger().log(System.Logger.Level.WARNING,
          "skills.config.guess.max must be from {0} to {1}; using {2}",
          String.valueOf(LOWEST_MAX), String.valueOf(HIGHEST_MAX), String.valueOf(kept));
      return (int) kept;
    }
    return (int) max;
  }
}
