package dev.switchboard.channels;

import io.vertx.core.json.JsonObject;

/**
 * Where a channel sends the replies to one message (a chat and thread, a callback URL, ...), typed by each
 * channel. Stored with the message as JSON and read back by the channel with its own {@code from(JsonObject)}
 * when a reply is delivered, so the gateway never needs to know its fields.
 */
public interface ReplyAddress {

  /** The stored form. */
  JsonObject toJson();
}
