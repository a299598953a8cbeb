package dev.switchboard.channels.webhook;

import dev.switchboard.channels.Caller;
import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;

/**
 * Where webhook replies go besides the HTTP answer, and whose they are.
 *
 * @param callbackUrl the caller's {@code callback_url}, or {@code null}
 * @param caller the name of the caller that sent the message, {@code null} for a local caller: callbacks name
 *     ids as that caller did ({@link Caller#unscope})
 */
record WebhookAddress(String callbackUrl, String caller) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (callbackUrl != null) {
      json.put("callback_url", callbackUrl);
    }
    return caller == null ? json : json.put("caller", caller);
  }

  static WebhookAddress from(JsonObject json) {
    return new WebhookAddress(json.getString("callback_url"), json.getString("caller"));
  }

  /** The caller as far as reading ids back goes ({@link Caller#unscope}; its scopes do not matter here). */
  Caller callerNaming() {
    return caller == null ? Caller.LOCAL : new Caller(caller, java.util.Set.of());
  }
}
