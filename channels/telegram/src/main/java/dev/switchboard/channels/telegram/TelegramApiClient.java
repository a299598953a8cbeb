package dev.switchboard.channels.telegram;

import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.PlatformAnswers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * Calls the Bot API ({@code <base>/bot<token>/<method>}, JSON bodies) with Vert.x {@link WebClient}. Answers
 * are read as {@code {"ok", "result" | "error_code", "description", "parameters"}}; failures never carry the
 * URL, which holds the token.
 */
final class TelegramApiClient {
  /** Longest text of one message, in UTF-16 code units. */
  static final int MAX_TEXT = 4096;

  /**
   * One Bot API answer.
   *
   * @param status the HTTP status (0 when the request failed before an answer)
   * @param ok the {@code ok} field
   * @param result the {@code result} field, or {@code null}
   * @param description the error description, or a transport error
   * @param retryAfter {@code parameters.retry_after}, or {@code null}
   * @param migrateTo {@code parameters.migrate_to_chat_id} (the group became a supergroup), or {@code null}
   */
  record Answer(int status, boolean ok, Object result, String description, Duration retryAfter, Long migrateTo) {}

  private final WebClient client;
  private final String base;

  TelegramApiClient(Vertx vertx, TelegramSettings settings) {
    this.client = PlatformAnswers.client(vertx, "Switchboard");
    this.base = settings.apiBaseUrl() + "/bot" + settings.token() + "/";
  }

  Future<Answer> call(String method, JsonObject body, Duration timeout) {
    return client.postAbs(base + method)
        .timeout(timeout.toMillis())
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer())
        .map(TelegramApiClient::read)
        .otherwise(e -> new Answer(0, false, null, "request failed: " + e.getClass().getSimpleName(), null, null));
  }

  static Answer read(HttpResponse<Buffer> response) {
    JsonObject json = PlatformAnswers.json(response);
    if (json == null) {
      return new Answer(response.statusCode(), false, null, "HTTP " + response.statusCode(), null, null);
    }
    JsonObject parameters = json.getJsonObject("parameters");
    Long retryAfter = parameters == null ? null : parameters.getLong("retry_after");
    Long migrateTo = parameters == null ? null : parameters.getLong("migrate_to_chat_id");
    return new Answer(response.statusCode(), Boolean.TRUE.equals(json.getBoolean("ok")), json.getValue("result"),
        json.getString("description"), PlatformAnswers.seconds(retryAfter), migrateTo);
  }

  Future<Answer> getMe() {
    return call("getMe", new JsonObject(), Duration.ofSeconds(10));
  }

  Future<Answer> deleteWebhook() {
    return call("deleteWebhook", new JsonObject().put("drop_pending_updates", false), Duration.ofSeconds(10));
  }

  Future<Answer> setWebhook(String url, String secret) {
    JsonObject body = new JsonObject().put("url", url).put("allowed_updates", new JsonArray());
    if (secret != null) {
      body.put("secret_token", secret);
    }
    return call("setWebhook", body, Duration.ofSeconds(10));
  }

  /** Long poll: the HTTP timeout outlasts the poll's own {@code timeout}. */
  Future<Answer> getUpdates(long offset, int timeoutSeconds) {
    JsonObject body = new JsonObject().put("offset", offset).put("timeout", timeoutSeconds).put("limit", 100);
    return call("getUpdates", body, Duration.ofSeconds(timeoutSeconds + 15L));
  }

  Future<Answer> answerCallbackQuery(String id) {
    return call("answerCallbackQuery", new JsonObject().put("callback_query_id", id), Duration.ofSeconds(10));
  }

  Future<Answer> sendMessage(JsonObject body) {
    return call("sendMessage", body, Duration.ofSeconds(20));
  }

  /** What a failed send means for the outbox (400 and 403, a blocked bot or a chat not found, are final). */
  static DeliveryResult failure(Answer answer) {
    return PlatformAnswers.refused(answer.status(), false, answer.retryAfter(),
        "Telegram " + answer.status() + ": " + answer.description());
  }

  void close() {
    client.close();
  }
}
