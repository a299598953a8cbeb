package dev.switchboard.channels.telegram;

import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;

/**
 * Where Telegram replies go: the chat, the forum topic when the message was in one, and the message to reply to
 * ({@code null} for a button press: its reply is a new message).
 */
record TelegramAddress(long chatId, Integer messageId, Integer threadId) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chat_id", chatId);
    if (messageId != null) {
      json.put("message_id", messageId);
    }
    if (threadId != null) {
      json.put("message_thread_id", threadId);
    }
    return json;
  }

  static TelegramAddress from(JsonObject json) {
    return new TelegramAddress(json.getLong("chat_id"), json.getInteger("message_id"),
        json.getInteger("message_thread_id"));
  }
}
