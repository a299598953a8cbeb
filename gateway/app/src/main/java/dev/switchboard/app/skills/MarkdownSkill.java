package dev.switchboard.app.skills;

import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceBusyException;
import dev.switchboard.spi.InferenceException;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A skill written as a {@code SKILL.md}. With a language model configured, the body is the model's
 * instructions and the answer is the model's, given the conversation's recent history; without one it answers
 * with its fixed reply (the {@code reply:} field, else the body's first paragraph).
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
    if (!context.inference().canGenerate() || markdown.instructions().isBlank()) {
      return SkillResponse.reply(markdown.fixedReply());
    }
    List<ChatMessage> messages = new ArrayList<>(context.history());
    messages.add(ChatMessage.user(envelope.text()));
    try {
      return SkillResponse.reply(context.inference().generate(markdown.instructions(), messages));
    } catch (InferenceBusyException e) {
      return SkillResponse.reply("Sorry, the language model is busy right now. Please try again in a moment.");
    } catch (InferenceException e) {
      return SkillResponse.reply("Sorry, I can't answer right now: " + e.getMessage() + ". Please try again later.");
    }
  }
}
