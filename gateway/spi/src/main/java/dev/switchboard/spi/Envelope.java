package dev.switchboard.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One inbound message, normalized. Every channel produces envelopes; the router and skills consume them.
 *
 * @param id the message's id, unique within its channel
 * @param channel the channel it came through
 * @param conversation the conversation it belongs to
 * @param sender who sent it
 * @param content what it carries
 * @param replyTo the id of the message this one answers, or {@code null}
 * @param thread the thread or topic within the conversation, or {@code null}
 * @param receivedAt when the gateway received it
 * @param rawSize size in bytes of the request or update it was read from
 */
public record Envelope(
    MessageId id,
    ChannelId channel,
    ConversationKey conversation,
    Sender sender,
    Content content,
    String replyTo,
    String thread,
    Instant receivedAt,
    int rawSize) {

  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (!conversation.channel().equals(channel)) {
      throw new IllegalArgumentException("conversation " + conversation + " is not in channel " + channel);
    }
    if (rawSize < 0) {
      throw new IllegalArgumentException("rawSize must not be negative");
    }
  }

  /** The content as plain text. */
  public String text() {
    return content.text();
  }

  /**
   * The command, when the content is one, else {@code null}. A button whose value is a command
   * ({@code Choice("Play again", "/guess")}) counts as that command, so it is routed like one.
   */
  public Content.Command command() {
    if (content instanceof Content.Command c) {
      return c;
    }
    return content instanceof Content.Callback callback ? Content.Command.parse(callback.data()) : null;
  }
}
