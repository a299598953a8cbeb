package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Events API ({@code POST /slack/events}, or {@code events_api} envelopes over Socket Mode): the URL check
 * is answered, an {@code event_callback} recorded (handled, or skipped for the record), anything else acked.
 * Work happens after the ack, so Slack's 3 s are kept whatever the skill does; retries and a message delivered
 * as two events are deduplicated by the inbound log.
 */
final class SlackEventsHandler implements InboundEndpoint.Platform {
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
    InboundEndpoint.mount(router, "/slack/events", BODY_LIMIT, gateway, this);
  }

  @Override
  public void verify(HttpServerRequest request, Buffer raw) {
    verifier.check(request, raw);
  }

  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    JsonObject body = StrictJson.parseObject(raw);
    if ("url_verification".equals(body.getValue("type"))) {
      if (!(body.getValue("challenge") instanceof String challenge)) {
        throw ApiError.invalid("invalid_field", "challenge must be a string", "challenge");
      }
      return new InboundEndpoint.Inbound.Answer(new JsonObject().put("challenge", challenge));
    }
    return InboundEndpoint.Inbound.record(mappings(body, raw.length()));
  }

  /** An {@code event_callback} as what to record; other types (app_rate_limited, future ones): nothing. */
  List<Mapping> mappings(JsonObject body, int rawSize) {
    if (!"event_callback".equals(body.getValue("type"))) {
      return List.of();
    }
    return List.of(SlackMapper.map(body, botUserId.get(), rawSize, Instant.now()));
  }
}
