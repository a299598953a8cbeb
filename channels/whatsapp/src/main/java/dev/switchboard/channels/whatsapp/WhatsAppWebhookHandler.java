package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.Hmac;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /whatsapp/webhook}: Meta's subscription check ({@code GET}, the verify token) and notifications
 * ({@code POST}, signed with the app secret in {@code X-Hub-Signature-256} over the raw body).
 */
final class WhatsAppWebhookHandler implements InboundEndpoint.Platform {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppWebhookHandler.class);
  static final String SIGNATURE = "X-Hub-Signature-256";
  static final int BODY_LIMIT = 1024 * 1024;

  private final InboundGateway gateway;
  private final Hmac appSecret;
  private final byte[] verifyToken;

  WhatsAppWebhookHandler(InboundGateway gateway, String appSecret, String verifyToken) {
    this.gateway = gateway;
    this.appSecret = new Hmac(appSecret);
    this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
  }

  void mount(Router router) {
    router.get("/whatsapp/webhook").handler(this::subscribe);
    InboundEndpoint.mount(router, "/whatsapp/webhook", BODY_LIMIT, gateway, this);
  }

  private void subscribe(RoutingContext ctx) {
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

  /** {@code sha256=} + hex HMAC-SHA256 of the raw body with the app secret. */
  @Override
  public void verify(HttpServerRequest request, Buffer raw) {
    if (!appSecret.matches(request.getHeader(SIGNATURE), "sha256=", raw.getBytes())) {
      throw ApiError.unauthenticated("missing or wrong " + SIGNATURE);
    }
  }

  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    JsonObject body = StrictJson.parseObject(raw);
    WhatsAppMapper.Notification notification = WhatsAppMapper.map(body, raw.length(), Instant.now());
    notification.errors().forEach(e -> LOG.warn("WhatsApp reported an error: {}", e));
    return InboundEndpoint.Inbound.record(notification.mappings());
  }
}
