package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /whatsapp/webhook} answers Meta's verification ({@code hub.challenge} as plain text, only for
 * {@code hub.mode=subscribe} and the right {@code hub.verify_token}, else 403). {@code POST /whatsapp/webhook}
 * checks {@code X-Hub-Signature-256} on the exact bytes first (401), then records every message, skipped
 * message and status of the notification, and answers 200 only once all of it is stored.
 */
final class WhatsAppWebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppWebhookHandler.class);
  static final String SIGNATURE = "X-Hub-Signature-256";
  static final int BODY_LIMIT = 1024 * 1024;

  private final InboundGateway gateway;
  private final byte[] appSecret;
  private final byte[] verifyToken;

  WhatsAppWebhookHandler(InboundGateway gateway, String appSecret, String verifyToken) {
    this.gateway = gateway;
    this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
    this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
  }

  void mount(Router router) {
    router.get("/whatsapp/webhook").handler(this::verify);
    router.post("/whatsapp/webhook").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::post);
  }

  private void verify(RoutingContext ctx) {
    String mode = ctx.request().getParam("hub.mode");
    String token = ctx.request().getParam("hub.verify_token");
    String challenge = ctx.request().getParam("hub.challenge");
    boolean ok = "subscribe".equals(mode) && token != null && challenge != null && challenge.length() <= 256
        && MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      throw ApiError.forbidden("webhook verification failed");
    }
    // echoed as data: plain text, never interpreted
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff").end(challenge);
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    if (!signed(ctx.request().getHeader(SIGNATURE), raw)) {
      throw ApiError.unauthenticated("missing or wrong " + SIGNATURE);
    }
    JsonObject body = StrictJson.parseObject(raw);
    WhatsAppMapper.Notification notification = WhatsAppMapper.map(body, raw.length(), Instant.now());
    notification.errors().forEach(e -> LOG.warn("WhatsApp reported an error: {}", e));
    List<Future<?>> recorded = new ArrayList<>();
    notification.handle().forEach(h -> recorded.add(gateway.admit(h.envelope(), h.replyAddress())));
    notification.skip().forEach(s -> recorded.add(gateway.recordSkipped(WhatsAppMapper.CHANNEL, s.id(), s.raw(),
        s.reason())));
    notification.statuses().forEach(s -> recorded.add(gateway.recordDeliveryStatus(WhatsAppMapper.CHANNEL,
        s.messageId(), s.status(), s.error())));
    Future.all(recorded)
        .onSuccess(v -> HttpResponses.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }

  /** {@code sha256=} + hex HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
  boolean signed(String header, Buffer raw) {
    if (header == null || !header.startsWith("sha256=")) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
      byte[] expected = HexFormat.of().formatHex(mac.doFinal(raw.getBytes())).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, header.substring(7).toLowerCase().getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
