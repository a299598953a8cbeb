package dev.switchboard.channels.telegram;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /telegram/webhook} in webhook mode: Telegram's secret token in {@code X-Telegram-Bot-Api-Secret-Token}
 * (compared in constant time), then one update per request.
 */
final class TelegramWebhookHandler implements InboundEndpoint.Platform {
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  static final int BODY_LIMIT = 1024 * 1024;

  private final InboundGateway gateway;
  private final TelegramIngress ingress;
  private final byte[] secret;
  private final BooleanSupplier ready;

  /** @param ready whether the bot's identity is known (until then updates are refused with 503) */
  TelegramWebhookHandler(InboundGateway gateway, TelegramIngress ingress, String secret, BooleanSupplier ready) {
    this.gateway = gateway;
    this.ingress = ingress;
    this.ready = ready;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  void mount(Router router) {
    InboundEndpoint.mount(router, "/telegram/webhook", BODY_LIMIT, gateway, this);
  }

  @Override
  public void checkHeaders(HttpServerRequest request) {
    if (secret != null) {
      String presented = request.getHeader(SECRET_HEADER);
      byte[] bytes = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(secret, bytes)) {
        throw ApiError.unauthenticated("missing or wrong " + SECRET_HEADER);
      }
    }
    if (!ready.getAsBoolean()) { // the bot's own name is not known yet: commands could not be told apart
      throw ApiError.unavailable("the Telegram channel is starting", 5);
    }
  }

  /** Strict JSON first (nesting, size, duplicate keys: 400), then the Bot API's types. */
  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    JsonObject json = StrictJson.parseObject(raw);
    Mapping mapping = ingress.map(json, raw);
    if (mapping == null) {
      throw ApiError.invalid("invalid_update", "the body is not a Telegram update", null);
    }
    return new InboundEndpoint.Inbound.Record(List.of(mapping), () -> {
      ingress.answerPress(json);
      return Future.succeededFuture(new JsonObject());
    });
  }
}
