package dev.switchboard.channels.slack;

import com.slack.api.app_backend.SlackSignature;
import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Checks Slack's {@code v0} signature on the raw body of every request, before anything else happens:
 * HMAC-SHA256 of {@code v0:timestamp:body} with the signing secret, the timestamp within five minutes, compared
 * in constant time (Slack's own {@link SlackSignature.Verifier}). Failures are 401 and nothing is processed.
 */
final class SlackRequestVerifier {
  static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  static final String SIGNATURE = "X-Slack-Signature";

  private final SlackSignature.Verifier verifier;

  /** @param signingSecret the app's signing secret; without one (Socket Mode only) every request is refused */
  SlackRequestVerifier(String signingSecret) {
    this.verifier = signingSecret == null ? null
        : new SlackSignature.Verifier(new SlackSignature.Generator(signingSecret));
  }

  void check(RoutingContext ctx, Buffer raw) {
    String timestamp = ctx.request().getHeader(TIMESTAMP);
    String signature = ctx.request().getHeader(SIGNATURE);
    if (timestamp == null || signature == null || !timestamp.chars().allMatch(Character::isDigit)
        || !isValid(timestamp, raw, signature, System.currentTimeMillis())) {
      throw ApiError.unauthenticated("missing, stale or wrong Slack request signature");
    }
  }

  boolean isValid(String timestamp, Buffer raw, String signature, long nowMillis) {
    if (verifier == null) {
      return false;
    }
    try {
      return verifier.isValid(timestamp, raw.toString(StandardCharsets.UTF_8), signature, nowMillis);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
