package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.spi.MessageId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code POST /slack/events}: verify the signature on the raw bytes, answer {@code url_verification} with its
 * challenge, record {@code event_callback}s durably and ack (work happens after, so Slack's 3 s are kept
 * whatever the skill does). Retries ({@code X-Slack-Retry-Num}) and the same message delivered as two events are
 * deduplicated by the inbound log.
 */
final class SlackEventsHandler {
  static final int BODY_LIMIT = 1024 * 1024;

  private final InboundGateway gateway;
  private final SlackRequestVerifier verifier;
  private final Supplier<String> botUserId;

  SlackEventsHandler(InboundGateway gateway, SlackRequestVerifier verifier, Supplier<String> botUserId) {
    this.gateway = gateway;
    this.verifier = verifier;
    this.botUserId = botUserId;
  }

  void mount(Router router) {
    router.post("/slack/events").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::post);
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    verifier.check(ctx, raw);
    JsonObject body = StrictJson.parseObject(raw);
    String type = body.getValue("type") instanceof String s ? s : "";
    if ("url_verification".equals(type)) {
      Object challenge = body.getValue("challenge");
      if (!(challenge instanceof String)) {
        throw ApiError.invalid("invalid_field", "challenge must be a string", "challenge");
      }
      HttpResponses.json(ctx, 200, new JsonObject().put("challenge", challenge));
      return;
    }
    if (!"event_callback".equals(type)) {
      HttpResponses.json(ctx, 200, new JsonObject()); // app_rate_limited and future types: acknowledged
      return;
    }
    accept(body, raw.length())
        .onSuccess(v -> HttpResponses.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }

  /** Records an {@code event_callback}: handled, or skipped for the record. */
  Future<Void> accept(JsonObject body, int rawSize) {
    SlackMapper.Result result;
    try {
      result = SlackMapper.map(body, botUserId.get(), rawSize, Instant.now());
    } catch (IllegalArgumentException e) { // ids we cannot use (too long, control characters)
      result = new SlackMapper.Skip("unusable ids: " + e.getMessage());
    }
    if (result instanceof SlackMapper.Handle handle) {
      return gateway.admit(handle.envelope(), handle.replyAddress()).mapEmpty();
    }
    String eventId = body.getValue("event_id") instanceof String s && !s.isEmpty() && s.length() <= 100
        && s.chars().noneMatch(Character::isISOControl) ? s : null;
    if (eventId == null) {
      return Future.succeededFuture();
    }
    return gateway.recordSkipped(SlackMapper.CHANNEL, new MessageId("event:" + eventId), body,
        ((SlackMapper.Skip) result).reason()).mapEmpty();
  }
}
