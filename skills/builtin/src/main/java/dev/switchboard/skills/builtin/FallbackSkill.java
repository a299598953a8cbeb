package dev.switchboard.skills.builtin;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;

/** Answers what no other skill took, with a pointer to {@code /help}. */
public final class FallbackSkill implements Skill {
  /** The name the router looks for when nothing else matches. */
  public static final String NAME = "fallback";

  private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder(NAME)
      .description("Answers messages no other skill understood")
      .version("1.0")
      .build();

  @Override
  public SkillDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public double match(Envelope envelope) {
    return 0;
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    if (envelope.command() != null) {
      return SkillResponse.reply(
          "I don't know the command /" + envelope.command().name() + ". Send /help to see what I can do.");
    }
    return SkillResponse.reply("Sorry, I didn't understand that. Send /help to see what I can do.");
  }
}
