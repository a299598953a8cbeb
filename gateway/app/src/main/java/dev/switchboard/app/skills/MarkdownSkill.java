package dev.switchboard.app.skills;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;

/**
 * A skill written as a {@code SKILL.md}. Without a language model it answers with its fixed reply (the
 * {@code reply:} field, else the body's first paragraph).
 */
final class MarkdownSkill implements Skill {
  private final SkillMarkdown markdown;

  MarkdownSkill(SkillMarkdown markdown) {
    this.markdown = markdown;
  }

  @Override
  public SkillDescriptor descriptor() {
    return markdown.descriptor();
  }

  @Override
  public SkillResponse handle(Envelope envelope, SkillContext context) {
    return SkillResponse.reply(markdown.fixedReply());
  }
}
