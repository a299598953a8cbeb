package com.example.switchboard.dice;

import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Rolls dice: {@code /roll} (one six-sided die), {@code /roll 2d6}, {@code /roll d20}, {@code /roll 3d6+2}, or
 * free text such as "roll the dice". Stateless: one instance serves every conversation at once.
 */
public final class DiceSkill implements Skill {
  static final String USAGE = "Try /roll, /roll 2d6, /roll d20 or /roll 3d6+2 (up to " + DiceRoll.MAX_DICE
      + " dice of " + DiceRoll.MIN_SIDES + " to " + DiceRoll.MAX_SIDES + " sides).";

  private final SkillDescriptor descriptor;
  private final Supplier<RandomGenerator> random;

  /** The constructor the gateway uses (through {@link java.util.ServiceLoader}). */
  public DiceSkill() {
    this(ThreadLocalRandom::current); // one generator per thread: handle() runs on many threads at once
  }

  /** For tests: rolls with {@code random}. */
  DiceSkill(RandomGenerator random) {
    this(() -> random);
  }

  private DiceSkill(Supplier<RandomGenerator> random) {
    this.random = Objects.requireNonNull(random);
    String version = getClass().getPackage().getImplementationVersion(); // from the JAR's manifest
    this.descriptor = SkillDescriptor.builder("dice")
        .description("Rolls dice: /roll, /roll 2d6, /roll d20, /roll 3d6+2")
        .version(version == null ? "dev" : version)
        .commands("roll")
        .keywords("roll a die", "roll a dice", "roll the dice", "roll dice", "dice roll")
        .patterns("\\broll\\s+\\d*d\\d+")
        .examples("roll a die", "roll the dice", "roll 2d6 for me", "throw a d20")
        .build();
  }

  @Override
  public SkillDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    Content.Command command = envelope.command();
    String spec = command != null ? command.argText() : DiceRoll.findIn(envelope.text()).orElse("");
    try {
      DiceRoll dice = spec.isBlank() ? DiceRoll.ONE_D6 : DiceRoll.parse(spec);
      // In a group everyone should see the roll (a Slack slash command's reply is private otherwise).
      return SkillResponse.reply(dice.roll(random.get())).toEveryone();
    } catch (IllegalArgumentException e) {
      return SkillResponse.reply(e.getMessage() + " " + USAGE);
    }
  }
}
