package dev.switchboard.channels.discord;

import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.PlatformAnswers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's REST API, for answering interactions: edit the original response, post follow-ups, or post in the
 * channel as the bot. Rate limits are kept as Discord asks: when a route's {@code X-RateLimit-Remaining} reaches
 * 0 the next call on it waits {@code X-RateLimit-Reset-After}; a 429 is retried after its {@code retry_after}.
 */
final class DiscordApiClient {
  /** Longest {@code content} of one message. */
  static final int MAX_TEXT = 2000;
  /** Routes with a known wait; bounded so that a flood of interactions cannot grow it without limit. */
  private static final int MAX_ROUTES = 10_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String base;
  private final String applicationId;
  private final String botToken;
  /** Route (path) → when it may be called again, in {@link System#nanoTime()}. */
  private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

  DiscordApiClient(Vertx vertx, DiscordSettings settings) {
    this.vertx = vertx;
    this.client = PlatformAnswers.client(vertx, "DiscordBot (switchboard, 0.1.0)");
    this.base = settings.apiBaseUrl();
    this.applicationId = settings.applicationId();
    this.botToken = settings.botToken();
  }

  /** Replaces the interaction's original response (the deferred "thinking…" message). */
  Future<DeliveryResult> editOriginal(String token, JsonObject message) {
    return call(HttpMethod.PATCH, "/webhooks/" + applicationId + "/" + token + "/messages/@original", message, false);
  }

  /** A further message answering the interaction. */
  Future<DeliveryResult> followUp(String token, JsonObject message) {
    return call(HttpMethod.POST, "/webhooks/" + applicationId + "/" + token, message, false);
  }

  /** A message in the channel as the bot (needs the bot token). */
  Future<DeliveryResult> postInChannel(String channelId, JsonObject message) {
    return call(HttpMethod.POST, "/channels/" + channelId + "/messages", message, true);
  }

  boolean hasBotToken() {
    return botToken != null;
  }

  private Future<DeliveryResult> call(HttpMethod method, String path, JsonObject body, boolean asBot) {
    return waitFor(path).compose(v -> {
      HttpRequest<Buffer> request = client.requestAbs(method, base + path).timeout(20_000)
          .putHeader("Content-Type", "application/json");
      if (asBot) {
        request.putHeader("Authorization", "Bot " + botToken);
      }
      return request.sendBuffer(body.toBuffer())
          .map(response -> outcome(path, response))
          .otherwise(e -> PlatformAnswers.refused(0, false, null, "Discord: " + e.getClass().getSimpleName()));
    });
  }

  private DeliveryResult outcome(String path, HttpResponse<Buffer> response) {
    JsonObject json = PlatformAnswers.json(response);
    remember(path, response);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new DeliveryResult.Delivered(json == null ? null : json.getString("id"));
    }
    Duration retryAfter = json != null && json.getValue("retry_after") instanceof Number seconds
        ? PlatformAnswers.seconds(seconds) : PlatformAnswers.retryAfter(response.getHeader("Retry-After"));
    if (status == 429 && retryAfter != null) {
      pause(path, retryAfter);
    }
    String message = json == null ? "HTTP " + status : json.getValue("code") + " " + json.getString("message");
    return PlatformAnswers.refused(status, false, retryAfter, "Discord " + status + ": " + message);
  }

  /** A route whose budget is spent waits until Discord says it is reset. */
  private void remember(String path, HttpResponse<Buffer> response) {
    String remaining = response.getHeader("X-RateLimit-Remaining");
    String resetAfter = response.getHeader("X-RateLimit-Reset-After");
    if ("0".equals(remaining) && resetAfter != null) {
      try {
        pause(path, PlatformAnswers.seconds(Double.parseDouble(resetAfter)));
      } catch (NumberFormatException ignored) {
        // no usable wait: the next call finds out with a 429
      }
    }
  }

  private void pause(String path, Duration wait) {
    if (wait == null) {
      return;
    }
    long now = System.nanoTime();
    if (pausedUntil.size() >= MAX_ROUTES) {
      pausedUntil.values().removeIf(until -> until < now);
    }
    if (pausedUntil.size() < MAX_ROUTES) {
      pausedUntil.merge(path, now + wait.toNanos(), Math::max);
    }
  }

  private Future<Void> waitFor(String path) {
    Long until = pausedUntil.get(path);
    long wait = until == null ? 0 : until - System.nanoTime();
    if (wait <= 0) {
      if (until != null) {
        pausedUntil.remove(path, until);
      }
      return Future.succeededFuture();
    }
    Promise<Void> slot = Promise.promise();
    vertx.setTimer(Math.max(1, Duration.ofNanos(wait).toMillis()), id -> slot.complete());
    return slot.future();
  }

  void close() {
    client.close();
  }
}
