package dev.switchboard.skills.builtin;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import java.util.Comparator;

/** {@code /help}: lists every skill with its commands. */
public final class HelpSkill implements Skill {
  private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder("help")
      .description("Lists what I can do")
      .version("1.0")
      .commands("help", "start")
      .keywords("help")
      .examples("what can you do", "help me", "how does this work")
      .build();

  @Override
  public SkillDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    StringBuilder text = new StringBuilder("Here is what I can do:");
    context.catalog().stream()
        .filter(d -> !d.commands().isEmpty())
        .sorted(Comparator.comparing(SkillDescriptor::name))
        .forEach(d -> {
          text.append("\n/").append(d.commands().get(0));
          if (!d.description().isEmpty()) {
            text.append(" - ").append(d.description());
          }
        });
    return SkillResponse.reply(text.toString());
  }
}
