package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.PlatformAnswers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Set;

/**
 * The Graph API for one business phone number: {@code POST /{phone-number-id}/messages} (send, mark read) and
 * {@code GET /{phone-number-id}} (health). Errors come as {@code {"error":{"code",…}}}.
 */
final class WhatsAppApiClient {
  static final int MAX_TEXT = 4096;
  /** Outside the 24-hour customer service window: only a template could be sent. */
  static final int OUTSIDE_WINDOW = 131047;
  /** Throttling: back off and try again. */
  private static final Set<Integer> THROTTLED = Set.of(130429, 131056, 80007);

  private final WebClient client;
  private final String messages;
  private final String phone;
  private final String token;

  WhatsAppApiClient(Vertx vertx, WhatsAppSettings settings) {
    this.client = PlatformAnswers.client(vertx, "Switchboard");
    this.phone = settings.apiBaseUrl() + "/" + settings.phoneNumberId();
    this.messages = phone + "/messages";
    this.token = settings.accessToken();
  }

  /** Sends a message; answers the outbox's view of the outcome, with the new message's id when delivered. */
  Future<DeliveryResult> send(JsonObject body) {
    return client.postAbs(messages).timeout(20_000).bearerTokenAuthentication(token).sendJsonObject(body)
        .map(WhatsAppApiClient::outcome)
        .otherwise(e -> PlatformAnswers.refused(0, false, null, "WhatsApp: " + e.getClass().getSimpleName()));
  }

  static DeliveryResult outcome(HttpResponse<Buffer> response) {
    JsonObject json = PlatformAnswers.json(response);
    if (response.statusCode() == 200 && json != null && json.getValue("messages") instanceof io.vertx.core.json.JsonArray m
        && !m.isEmpty()) {
      return new DeliveryResult.Delivered(m.getJsonObject(0).getString("id"));
    }
    JsonObject error = json == null ? null : json.getJsonObject("error");
    int code = error == null ? 0 : error.getInteger("code", 0);
    String message = error == null ? "HTTP " + response.statusCode() : code + " " + error.getString("message");
    if (code == OUTSIDE_WINDOW) {
      return new DeliveryResult.Failed("WhatsApp " + message
          + ": more than 24 hours since the customer last wrote; only a template message can be sent");
    }
    return PlatformAnswers.refused(response.statusCode(), THROTTLED.contains(code),
        PlatformAnswers.retryAfter(response.getHeader("Retry-After")), "WhatsApp " + message);
  }

  /** Marks a customer's message read (blue ticks). Best effort. */
  void markRead(String messageId) {
    client.postAbs(messages).timeout(10_000).bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("messaging_product", "whatsapp").put("status", "read")
            .put("message_id", messageId));
  }

  /** Whether the phone number can be read with the token. */
  Future<String> phoneProblem() {
    return client.getAbs(phone).timeout(10_000).bearerTokenAuthentication(token).send()
        .map(response -> response.statusCode() == 200 ? null
            : "phone number not readable: HTTP " + response.statusCode())
        .otherwise(e -> "phone number not readable: " + e.getClass().getSimpleName());
  }

  void close() {
    client.close();
  }
}
