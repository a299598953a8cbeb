package dev.switchboard.channels.webhook;

import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;

/** Where webhook replies go besides the HTTP answer: the caller's {@code callback_url}, or nowhere ({@code null}). */
record WebhookAddress(String callbackUrl) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    return callbackUrl == null ? new JsonObject() : new JsonObject().put("callback_url", callbackUrl);
  }

  static WebhookAddress from(JsonObject json) {
    return new WebhookAddress(json.getString("callback_url"));
  }
}
