package dev.switchboard.channels.webhook;

import dev.switchboard.channels.Caller;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.Hmac;
import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.PlatformAnswers;
import dev.switchboard.channels.ReplyJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
  /** Most callbacks in flight to one target at once; the outbox delivers up to 64 replies at a time. */
  static final int MAX_PER_TARGET = 8;

  private final WebClient client;
  private final Hmac secret;
  private final CallbackTargets targets;
  /** Callbacks in flight per target host and port. */
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  CallbackClient(WebClient client, String secret, CallbackTargets targets) {
    this.client = client;
    this.secret = new Hmac(secret);
    this.targets = targets;
  }

  /**
   * Posts to the address the URL's host resolves to now, if it may still be reached (else the reply fails). A
   * target that already has {@link #MAX_PER_TARGET} callbacks in flight (slow, or hanging until the time-out)
   * gets no more for now: the reply is tried again later (the outbox's back-off), and the delivery slots stay
   * free for other conversations' targets.
   */
  Future<DeliveryResult> post(String url, Outbound outbound) {
    String target = URI.create(url).getHost() + ":" + URI.create(url).getPort();
    AtomicInteger busy = inFlight.computeIfAbsent(target, t -> new AtomicInteger());
    if (busy.incrementAndGet() > MAX_PER_TARGET) {
      release(target, busy);
      return Future.succeededFuture(new DeliveryResult.RetryLater(null, "callback target busy"));
    }
    return targets.resolve(url).transform(resolved -> resolved.succeeded()
            ? post(URI.create(url), resolved.result(), outbound)
            : Future.succeededFuture(new DeliveryResult.Failed("callback_url refused: " + resolved.cause().getMessage())))
        .onComplete(done -> release(target, busy));
  }

  private void release(String target, AtomicInteger busy) {
    if (busy.decrementAndGet() == 0) {
      inFlight.remove(target, busy); // no entry is kept for a target with nothing in flight
    }
  }

  private Future<DeliveryResult> post(URI url, InetAddress address, Outbound outbound) {
    Buffer body = body(outbound).toBuffer();
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    // connected to the address that was checked, with the URL's host in Host and for TLS
    return client.request(HttpMethod.POST, SocketAddress.inetSocketAddress(port, address.getHostAddress()), port,
            url.getHost(), path)
        .ssl(https)
        .timeout(TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader(DELIVERY_HEADER, Long.toString(outbound.deliveryId()))
        .putHeader(TIMESTAMP_HEADER, timestamp)
        .putHeader(SIGNATURE_HEADER, "v1=" + sign(secret, timestamp, body))
        .as(BodyCodec.none())
        .sendBuffer(body)
        .map(CallbackClient::classify)
        .otherwise(failure -> PlatformAnswers.refused(0, false, null, "callback failed: " + failure.getMessage()));
  }

  /** What the caller is sent: ids as it named them. */
  static JsonObject body(Outbound outbound) {
    Caller caller = WebhookAddress.from(outbound.replyAddress()).callerNaming();
    return new JsonObject()
        .put("id", caller.unscope(outbound.inReplyTo().value()))
        .put("conversation", caller.unscope(outbound.conversation().id()))
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
    return PlatformAnswers.refused(status, false, PlatformAnswers.retryAfter(retryAfter),
        "callback answered " + status);
  }

  /** The hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  static String sign(Hmac secret, String timestamp, Buffer body) {
    return secret.hex(Hmac.ascii(timestamp + "."), body.getBytes());
  }
}
