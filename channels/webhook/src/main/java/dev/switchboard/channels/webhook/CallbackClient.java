package dev.switchboard.channels.webhook;

import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.ReplyJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs one reply to a caller's {@code callback_url}, signed:
 * {@code X-Switchboard-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))} with the timestamp in
 * {@code X-Switchboard-Timestamp} (Unix seconds). {@code X-Switchboard-Delivery} stays the same across retries.
 */
final class CallbackClient {
  static final String SIGNATURE_HEADER = "X-Switchboard-Signature";
  static final String TIMESTAMP_HEADER = "X-Switchboard-Timestamp";
  static final String DELIVERY_HEADER = "X-Switchboard-Delivery";
  private static final long TIMEOUT_MS = 10_000;

  private final WebClient client;
  private final byte[] secret;

  CallbackClient(WebClient client, String secret) {
    this.client = client;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  Future<DeliveryResult> post(String url, Outbound outbound) {
    Buffer body = body(outbound).toBuffer();
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    return client.postAbs(url)
        .timeout(TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader(DELIVERY_HEADER, Long.toString(outbound.deliveryId()))
        .putHeader(TIMESTAMP_HEADER, timestamp)
        .putHeader(SIGNATURE_HEADER, "v1=" + sign(secret, timestamp, body))
        .as(BodyCodec.none())
        .sendBuffer(body)
        .map(CallbackClient::classify)
        .otherwise(failure -> new DeliveryResult.RetryLater(null, "callback failed: " + failure.getMessage()));
  }

  static JsonObject body(Outbound outbound) {
    return new JsonObject()
        .put("id", outbound.inReplyTo().value())
        .put("conversation", outbound.conversation().id())
        .put("index", outbound.position())
        .put("delivery_id", outbound.deliveryId())
        .put("reply", ReplyJson.toJson(outbound.reply()));
  }

  static DeliveryResult classify(HttpResponse<Void> response) {
    return classifyStatus(response.statusCode(), response.getHeader("Retry-After"));
  }

  /** 2xx delivered; 408, 429 and 5xx retried (after {@code Retry-After} seconds when given); others failed. */
  static DeliveryResult classifyStatus(int status, String retryAfter) {
    if (status >= 200 && status < 300) {
      return new DeliveryResult.Delivered(null);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new DeliveryResult.RetryLater(retryAfter(retryAfter),
          "callback answered " + status);
    }
    return new DeliveryResult.Failed("callback answered " + status);
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds >= 0 ? Duration.ofSeconds(Math.min(seconds, 3600)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  static String sign(byte[] secret, String timestamp, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
