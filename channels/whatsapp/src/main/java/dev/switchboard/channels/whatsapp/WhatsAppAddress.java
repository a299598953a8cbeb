package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;

/**
 * Where WhatsApp replies go: the customer's number ({@code to}), or their business-scoped user id
 * ({@code recipient}) when they have a username and no number, and the message answered.
 */
record WhatsAppAddress(String to, String recipient, String messageId) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("message_id", messageId);
    return to != null ? json.put("to", to) : json.put("recipient", recipient);
  }

  static WhatsAppAddress from(JsonObject json) {
    return new WhatsAppAddress(json.getString("to"), json.getString("recipient"), json.getString("message_id"));
  }
}
