package dev.switchboard.spi;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a skill may use while it handles one message. Valid only during that call.
 */
public interface SkillContext {

  /** The conversation the message belongs to. */
  ConversationKey conversation();

  /** Who sent the message. */
  Sender sender();

  /** The channel the message came through. */
  ChannelId channel();

  /**
   * This skill's state in this conversation, kept in the session: change it in place. It is saved, together
   * with the replies, only when {@link Skill#handle} returns normally, so it survives restarts and moves with
   * the conversation to another node. Keep it small (the session is bounded).
   */
  JsonObject state();

  /** This skill's settings from the gateway configuration ({@code skills.config.<name>.*}); empty if none. */
  JsonObject config();

  /** Every skill the gateway has loaded, for skills such as {@code help}. */
  List<SkillDescriptor> catalog();

  /** A logger named after this skill. Never log message bodies at INFO. */
  System.Logger logger();

  /** The gateway's models: embeddings, and a language model when one is configured. */
  default InferenceClient inference() {
    return InferenceClient.NONE;
  }

  /**
   * The conversation's recent messages before this one, oldest first, for a language model's context. Kept
   * (bounded in turns and characters) only while a language model is configured; empty otherwise.
   */
  default List<ChatMessage> history() {
    return List.of();
  }
}
