package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.Hmac;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Checks Slack's {@code v0} signature on the raw body of every request, before anything else happens:
 * {@code v0=} + hex HMAC-SHA256 of {@code v0:timestamp:body} with the signing secret, the timestamp within five
 * minutes, compared in constant time. Failures are 401 and nothing is processed.
 *
 * <p>Written here rather than taken from Slack's SDK: its verifier compares with {@code String.equals}.
 */
final class SlackRequestVerifier {
  static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  static final String SIGNATURE = "X-Slack-Signature";
  private static final long MAX_AGE_SECONDS = 300;

  private final Hmac secret;

  /** @param signingSecret the app's signing secret; without one (Socket Mode only) every request is refused */
  SlackRequestVerifier(String signingSecret) {
    this.secret = signingSecret == null ? null : new Hmac(signingSecret);
  }

  void check(HttpServerRequest request, Buffer raw) {
    String timestamp = request.getHeader(TIMESTAMP);
    String signature = request.getHeader(SIGNATURE);
    if (timestamp == null || !isValid(timestamp, raw, signature, System.currentTimeMillis())) {
      throw ApiError.unauthenticated("missing, stale or wrong Slack request signature");
    }
  }

  /** {@code v0=} + hex HMAC of {@code v0:timestamp:body}, the timestamp within five minutes of now. */
  boolean isValid(String timestamp, Buffer raw, String signature, long nowMillis) {
    if (secret == null || timestamp.isEmpty() || timestamp.length() > 12
        || !timestamp.chars().allMatch(Character::isDigit)
        || Math.abs(nowMillis / 1000 - Long.parseLong(timestamp)) > MAX_AGE_SECONDS) {
      return false;
    }
    return secret.matches(signature, "v0=", Hmac.ascii("v0:" + timestamp + ":"), raw.getBytes());
  }
}
