package dev.switchboard.skills.builtin;

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
 * Answers what no other skill took. With a language model configured ({@code inference.llm.*}) it chats,
 * with the conversation's recent history; without one it says so and points to {@code /help}.
 *
 * <p>Settings ({@code skills.config.chat.*}): {@code instructions}, the model's system prompt.
 */
public final class ChatSkill implements Skill {
  /** The name the router looks for when nothing else matches. */
  public static final String NAME = "chat";

  static final String DEFAULT_INSTRUCTIONS = "You are Switchboard, a helpful assistant in a chat app. "
      + "Answer briefly and plainly. If the person wants something one of these commands does, suggest it:";

  private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder(NAME)
      .description("Chats about anything else (with a language model)")
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
    if (!context.inference().canGenerate()) {
      return SkillResponse.reply("Sorry, I didn't understand that, and no language model is configured for "
          + "free chat. Send /help to see what I can do.");
    }
    List<ChatMessage> messages = new ArrayList<>(context.history());
    messages.add(ChatMessage.user(envelope.text()));
    try {
      return SkillResponse.reply(context.inference().generate(instructions(context), messages));
    } catch (InferenceBusyException e) {
      return SkillResponse.reply("Sorry, the language model is busy right now. Please try again in a moment.");
    } catch (InferenceException e) {
      context.logger().log(System.Logger.Level.WARNING, "chat failed: " + e.getMessage());
      return SkillResponse.reply("Sorry, I can't answer right now: " + e.getMessage() + ". Please try again later.");
    }
  }

  private static String instructions(SkillContext context) {
    String configured = context.config().getString("instructions");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    StringBuilder text = new StringBuilder(DEFAULT_INSTRUCTIONS);
    context.catalog().stream().filter(d -> !d.commands().isEmpty()).forEach(d ->
        text.append("\n/").append(d.commands().get(0)).append(" - ").append(d.description()));
    return text.toString();
  }
}
