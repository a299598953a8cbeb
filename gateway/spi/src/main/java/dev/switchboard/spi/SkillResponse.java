package dev.switchboard.spi;

import java.util.List;

/**
 * What a skill answers to one message.
 *
 * @param replies the messages to send back, possibly none
 * @param awaitingAnswer {@code true} when the skill asked a question: the conversation's next message that is
 *     not a command goes to this skill again
 */
public record SkillResponse(List<Reply> replies, boolean awaitingAnswer) {
  public SkillResponse {
    replies = List.copyOf(replies);
  }

  /** Reply with one or more texts and let go of the conversation. */
  public static SkillResponse reply(String... texts) {
    return new SkillResponse(java.util.Arrays.stream(texts).map(Reply::text).toList(), false);
  }

  /** Reply and let go of the conversation. */
  public static SkillResponse of(Reply... replies) {
    return new SkillResponse(List.of(replies), false);
  }

  /** Ask a question: reply, and take the conversation's next message as the answer. */
  public static SkillResponse ask(String question) {
    return new SkillResponse(List.of(Reply.text(question)), true);
  }

  /** Answer nothing. */
  public static SkillResponse none() {
    return new SkillResponse(List.of(), false);
  }
}
