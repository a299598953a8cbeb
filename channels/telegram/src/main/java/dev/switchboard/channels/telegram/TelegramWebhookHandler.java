package dev.switchboard.channels.telegram;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.HttpResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * {@code POST /telegram/webhook}: checks {@code X-Telegram-Bot-Api-Secret-Token} in constant time, reads at most
 * {@link #BODY_LIMIT} bytes, records the update and answers 200 only then. Recording failures answer 503, so
 * Telegram delivers the update again; unreadable bodies answer 400.
 */
final class TelegramWebhookHandler {
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  static final int BODY_LIMIT = 1024 * 1024;

  private final TelegramIngress ingress;
  private final byte[] secret;
  private final java.util.function.BooleanSupplier ready;

  /** @param ready whether the bot's identity is known (until then updates are refused with 503) */
  TelegramWebhookHandler(TelegramIngress ingress, String secret, java.util.function.BooleanSupplier ready) {
    this.ingress = ingress;
    this.ready = ready;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  void mount(Router router) {
    router.post("/telegram/webhook").handler(this::checkSecret);
    router.post("/telegram/webhook").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::post);
  }

  private void checkSecret(RoutingContext ctx) {
    if (secret != null) {
      String presented = ctx.request().getHeader(SECRET_HEADER);
      byte[] bytes = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(secret, bytes)) {
        throw ApiError.unauthenticated("missing or wrong " + SECRET_HEADER);
      }
    }
    ctx.next();
  }

  /** The body as JSON for the record; an empty object when it is not JSON. */
  private static JsonObject asJson(Buffer raw) {
    try {
      return new JsonObject(raw);
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    if (!ready.getAsBoolean()) { // the bot's own name is not known yet: commands could not be told apart
      throw ApiError.unavailable("the Telegram channel is starting", 5);
    }
    Update update = TelegramIngress.parse(raw);
    JsonObject json = asJson(raw);
    if (update == null) {
      Object updateId = json.getValue("update_id");
      if (!(updateId instanceof Number id)) {
        throw ApiError.invalid("invalid_update", "the body is not a Telegram update", null);
      }
      // a genuine update the Bot API types cannot read: acknowledged and recorded, or Telegram resends forever
      ingress.acceptUnreadable(id.longValue(), json).onComplete(v -> HttpResponses.json(ctx, 200, new JsonObject()));
      return;
    }
    ingress.accept(update, json, raw.length())
        .onSuccess(v -> HttpResponses.json(ctx, 200, new JsonObject()))
        .onFailure(e -> HttpResponses.error(ctx, ApiError.unavailable("the update could not be recorded", 5)));
  }
}
