package dev.switchboard.spi;

import java.util.List;

/**
 * What a skill answers to one message.
 *
 * @param replies the messages to send back, possibly none
 * @param awaitingAnswer {@code true} when the skill asked a question: the conversation's next message that is
 *     not a command goes to this skill again
 * @param visibleToAll {@code true} to show the replies to everyone in the conversation where the channel would
 *     show them to the sender only (a Slack slash command's replies are ephemeral unless this is set)
 */
public record SkillResponse(List<Reply> replies, boolean awaitingAnswer, boolean visibleToAll) {
  public SkillResponse {
    replies = List.copyOf(replies);
  }

  /** Replies seen by the sender only where the channel makes that distinction. */
  public SkillResponse(List<Reply> replies, boolean awaitingAnswer) {
    this(replies, awaitingAnswer, false);
  }

  /** The same response, shown to everyone in the conversation. */
  public SkillResponse toEveryone() {
    return new SkillResponse(replies, awaitingAnswer, true);
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

  /** Ask with a reply of its own, such as {@link Reply#choices}: the next message is the answer. */
  public static SkillResponse ask(Reply question) {
    return new SkillResponse(List.of(question), true);
  }

  /** Answer nothing. */
  public static SkillResponse none() {
    return new SkillResponse(List.of(), false);
  }
}
