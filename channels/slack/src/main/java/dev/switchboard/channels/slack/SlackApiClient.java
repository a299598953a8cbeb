package dev.switchboard.channels.slack;

import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.PlatformAnswers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Set;

/**
 * Calls the Slack Web API with the bot token (Vert.x {@link WebClient}, JSON bodies). Slack reports most errors
 * as HTTP 200 with {@code "ok": false} and an error code; rate limits as 429 with {@code Retry-After}.
 */
final class SlackApiClient {
  /** Longest text of one message Slack recommends. */
  static final int MAX_TEXT = 4000;
  /** Error codes Slack documents as transient. */
  private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error",
      "service_unavailable", "request_timeout");

  /** One answer: HTTP status, the JSON body (or {@code null}), {@code Retry-After}. */
  record Answer(int status, JsonObject body, Duration retryAfter) {
    boolean ok() {
      return status == 200 && body != null && Boolean.TRUE.equals(body.getBoolean("ok"));
    }

    String error() {
      return body == null ? "HTTP " + status : body.getString("error", "HTTP " + status);
    }
  }

  private final WebClient client;
  private final String base;
  private final String token;

  SlackApiClient(Vertx vertx, SlackSettings settings) {
    this.client = PlatformAnswers.client(vertx, "Switchboard");
    this.base = settings.apiBaseUrl() + "/";
    this.token = settings.botToken();
  }

  Future<Answer> call(String method, JsonObject body) {
    return call(method, token, body);
  }

  /** Calls with another token (the app-level token, for {@code apps.connections.open}). */
  Future<Answer> call(String method, String bearer, JsonObject body) {
    return client.postAbs(base + method)
        .timeout(20_000)
        .putHeader("Authorization", "Bearer " + bearer)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .sendBuffer(body.toBuffer())
        .map(SlackApiClient::read)
        .otherwise(e -> new Answer(0, null, null));
  }

  private static Answer read(HttpResponse<Buffer> response) {
    JsonObject json = PlatformAnswers.json(response);
    return new Answer(response.statusCode(), json, PlatformAnswers.retryAfter(response.getHeader("Retry-After")));
  }

  /** What a failed call means for the outbox. */
  static DeliveryResult failure(Answer answer) {
    return PlatformAnswers.refused(answer.status(), TRANSIENT.contains(answer.error()), answer.retryAfter(),
        "Slack: " + answer.error());
  }

  void close() {
    client.close();
  }
}
