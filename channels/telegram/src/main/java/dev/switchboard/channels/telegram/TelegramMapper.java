package dev.switchboard.channels.telegram;

import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

/**
 * Maps a Bot API {@link Update} onto an envelope, or says why it is acknowledged without being handled. Pure:
 * no I/O. In groups only commands for this bot, mentions of it and replies to it are handled; a command
 * addressed to another bot ({@code /cmd@OtherBot}) never is.
 */
public final class TelegramMapper {
  public static final ChannelId CHANNEL = new ChannelId("telegram");

  /** Who the bot is ({@code getMe}): needed to tell our commands and mentions from other bots'. */
  public record BotIdentity(long id, String username) {}

  private TelegramMapper() {}

  /**
   * What an update means: a message to handle, or one to acknowledge and keep on record only (unsupported, an
   * edit, group chatter, another bot's command).
   *
   * @param raw the update as received, kept with a skipped one
   */
  public static Mapping map(Update update, JsonObject raw, BotIdentity bot, int rawSize, Instant now) {
    Function<String, Mapping> skip = reason -> skip(update.getUpdateId(), raw, reason);
    if (update.hasMessage()) {
      return mapMessage(update.getMessage(), bot, rawSize, now, skip);
    }
    if (update.hasCallbackQuery()) {
      return mapCallback(update.getCallbackQuery(), rawSize, now, skip);
    }
    if (update.hasEditedMessage()) {
      return skip.apply("edited message"); // an edit of a message already handled, not a new message
    }
    return skip.apply("unsupported update type");
  }

  /** An update acknowledged and kept for the record only. */
  static Mapping.Skip skip(long updateId, JsonObject raw, String reason) {
    return new Mapping.Skip(CHANNEL, new MessageId("update:" + updateId), raw, reason);
  }

  private static Mapping mapMessage(Message m, BotIdentity bot, int rawSize, Instant now,
      Function<String, Mapping> skip) {
    Chat chat = m.getChat();
    if (chat == null || m.getMessageId() == null) {
      return skip.apply("message without chat");
    }
    boolean group = "group".equals(chat.getType()) || "supergroup".equals(chat.getType());
    String text = m.getText() != null ? m.getText() : m.getCaption();
    List<MessageEntity> entities = m.getText() != null ? m.getEntities() : m.getCaptionEntities();

    Content content = null;
    Content.Command command = command(text, entities, bot);
    if (command == BAD_ADDRESS) {
      return skip.apply("command for another bot");
    }
    if (command != null) {
      content = command;
    } else if (m.getPhoto() != null && !m.getPhoto().isEmpty()) {
      List<PhotoSize> sizes = m.getPhoto();
      content = new Content.Media("photo", sizes.get(sizes.size() - 1).getFileId(), m.getCaption());
    } else if (m.getDocument() != null) {
      content = new Content.Media("document", m.getDocument().getFileId(), m.getCaption());
    } else if (m.getText() != null && !m.getText().isBlank()) {
      content = new Content.Text(m.getText());
    }
    if (content == null) {
      return skip.apply("unsupported message content");
    }
    if (group && command == null && !mentions(text, entities, bot) && !repliesToBot(m, bot)) {
      return skip.apply("group message not addressed to the bot");
    }

    Integer thread = Boolean.TRUE.equals(m.getIsTopicMessage()) ? m.getMessageThreadId() : null;
    String conversation = chat.getId() + (thread != null ? ":" + thread : "");
    Message replied = m.getReplyToMessage();
    // in a forum topic every message "replies" to the topic's creation message: that is no reply
    String replyTo = replied != null && replied.getForumTopicCreated() == null
        ? Integer.toString(replied.getMessageId()) : null;
    Envelope envelope = new Envelope(
        new MessageId(chat.getId() + ":" + m.getMessageId()),
        CHANNEL,
        new ConversationKey(CHANNEL, conversation),
        sender(m.getFrom(), m.getSenderChat(), chat),
        content, replyTo, thread == null ? null : Integer.toString(thread),
        now, rawSize);
    return Mapping.within(TelegramApiClient.MAX_TEXT, envelope,
        new TelegramAddress(chat.getId(), m.getMessageId(), thread), skip);
  }

  private static Mapping mapCallback(CallbackQuery query, int rawSize, Instant now,
      Function<String, Mapping> skip) {
    if (query.getMessage() == null || query.getMessage().getChat() == null || query.getData() == null) {
      return skip.apply("callback query without a chat message or data");
    }
    Chat chat = query.getMessage().getChat();
    Envelope envelope = new Envelope(
        new MessageId("callback:" + query.getId()),
        CHANNEL,
        new ConversationKey(CHANNEL, Long.toString(chat.getId())),
        sender(query.getFrom(), null, chat),
        new Content.Callback(query.getData(), ""), null, null, now, rawSize);
    return new Mapping.Handle(envelope, new TelegramAddress(chat.getId(), null, null));
  }

  /** Marks a command addressed to another bot. */
  private static final Content.Command BAD_ADDRESS = new Content.Command("-", List.of(), "");

  /**
   * The command at the start of the text (the {@code bot_command} entity at offset 0, else the first word when
   * it starts with a slash), without an {@code @ThisBot} suffix; {@link #BAD_ADDRESS} when it names another
   * bot; {@code null} when there is none.
   */
  static Content.Command command(String text, List<MessageEntity> entities, BotIdentity bot) {
    if (text == null || !text.startsWith("/")) {
      return null;
    }
    int length = -1;
    for (MessageEntity e : entities == null ? List.<MessageEntity>of() : entities) {
      if ("bot_command".equals(e.getType()) && e.getOffset() == 0 && e.getLength() <= text.length()) {
        length = e.getLength();
      }
    }
    if (length < 0) { // no entity (hand-made updates): the first word
      int space = text.indexOf(' ');
      length = space < 0 ? text.length() : space;
    }
    String token = text.substring(1, length);
    int at = token.indexOf('@');
    if (at >= 0) {
      String target = token.substring(at + 1);
      if (bot.username() == null || !target.equalsIgnoreCase(bot.username())) {
        return BAD_ADDRESS;
      }
      token = token.substring(0, at);
    }
    return Content.Command.parse("/" + token + text.substring(length));
  }

  private static boolean mentions(String text, List<MessageEntity> entities, BotIdentity bot) {
    if (text == null || entities == null || bot.username() == null) {
      return false;
    }
    for (MessageEntity e : entities) {
      if ("mention".equals(e.getType()) && e.getOffset() + e.getLength() <= text.length()
          && text.substring(e.getOffset(), e.getOffset() + e.getLength())
              .equalsIgnoreCase("@" + bot.username())) {
        return true;
      }
    }
    return false;
  }

  private static boolean repliesToBot(Message m, BotIdentity bot) {
    Message replied = m.getReplyToMessage();
    return replied != null && replied.getFrom() != null && replied.getFrom().getId() != null
        && replied.getFrom().getId() == bot.id();
  }

  private static Sender sender(User from, Chat senderChat, Chat chat) {
    if (from != null && from.getId() != null) {
      String name = from.getUserName() != null ? from.getUserName()
          : (from.getFirstName() + (from.getLastName() != null ? " " + from.getLastName() : "")).strip();
      return new Sender(Long.toString(from.getId()), name.isEmpty() ? null : name);
    }
    Chat who = senderChat != null ? senderChat : chat;
    return new Sender(Long.toString(who.getId()), who.getTitle());
  }
}
