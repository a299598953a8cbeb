package dev.switchboard.channels;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;

/**
 * How every channel talks to its platform's HTTP API and reads what it answers: one web client set-up, and one
 * rule from a platform's answer to what the outbox does next.
 */
public final class PlatformAnswers {
  /** The longest wait a platform may ask for that is taken as given; longer ones are capped to this. */
  static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(1);

  private PlatformAnswers() {}

  /** A client for a platform's API: no redirects followed (a token must never travel elsewhere), 10 s to connect. */
  public static WebClient client(Vertx vertx, String userAgent) {
    return WebClient.create(vertx, new WebClientOptions().setUserAgent(userAgent).setConnectTimeout(10_000)
        .setFollowRedirects(false));
  }

  /**
   * What a refused or failed call means: no answer at all ({@code status} 0: network, time-out), 408, 429, a
   * 5xx, or an error the platform documents as transient is tried again (after {@code retryAfter} when the
   * platform said so); anything else (bad request, blocked, not found) is final.
   *
   * @param reason for the record, never a secret
   */
  public static DeliveryResult refused(int status, boolean transientError, Duration retryAfter, String reason) {
    if (status == 0 || status == 408 || status == 429 || status >= 500 || transientError) {
      return new DeliveryResult.RetryLater(retryAfter, reason);
    }
    return new DeliveryResult.Failed(reason);
  }

  /** The answer's body as a JSON object, or {@code null} when it is not one (an HTML error page, nothing). */
  public static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A {@code Retry-After} of whole seconds (capped at an hour), or {@code null} when absent or not a number. */
  public static Duration retryAfter(String header) {
    if (header == null || !header.strip().matches("\\d{1,9}")) {
      return null;
    }
    return seconds(Long.parseLong(header.strip()));
  }

  /** A platform's "retry after n seconds" (a JSON field), capped at an hour; {@code null} for {@code null}. */
  public static Duration seconds(Number seconds) {
    if (seconds == null || seconds.doubleValue() < 0) {
      return null;
    }
    Duration after = Duration.ofMillis((long) Math.ceil(seconds.doubleValue() * 1000));
    return after.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : after;
  }
}
