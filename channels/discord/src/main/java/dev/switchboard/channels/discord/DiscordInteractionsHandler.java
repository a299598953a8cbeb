package dev.switchboard.channels.discord;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.InlineReply;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code POST /discord/interactions}: Discord's signed interactions. A PING is answered with a PONG; a slash
 * command or a button press is recorded, then answered with its reply when that is ready within Discord's 3 s
 * (type 4), else deferred (type 5: "thinking…") and its reply later edited in by the outbox.
 */
final class DiscordInteractionsHandler implements InboundEndpoint.Platform {
  static final String SIGNATURE = "X-Signature-Ed25519";
  static final String TIMESTAMP = "X-Signature-Timestamp";
  static final int BODY_LIMIT = 256 * 1024;
  static final Duration ANSWER_WITHIN = Duration.ofMillis(2500);
  /** Interaction response types. */
  static final int PONG = 1;
  static final int MESSAGE = 4;
  static final int DEFERRED_MESSAGE = 5;
  static final int AUTOCOMPLETE_RESULT = 8;
  /** Message flag: seen by the invoking user only. */
  static final int EPHEMERAL = 64;

  private final InboundGateway gateway;
  private final DiscordSignature signature;

  DiscordInteractionsHandler(InboundGateway gateway, DiscordSignature signature) {
    this.gateway = gateway;
    this.signature = signature;
  }

  void mount(Router router) {
    InboundEndpoint.mount(router, "/discord/interactions", BODY_LIMIT, gateway, this);
  }

  @Override
  public void verify(HttpServerRequest request, Buffer raw) {
    if (!signature.verify(request.getHeader(SIGNATURE), request.getHeader(TIMESTAMP), raw.getBytes())) {
      throw ApiError.unauthenticated("missing or wrong " + SIGNATURE);
    }
  }

  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    long arrived = System.nanoTime();
    JsonObject interaction = StrictJson.parseObject(raw);
    int type = interaction.getValue("type") instanceof Number n ? n.intValue() : 0;
    if (type == DiscordMapper.PING) {
      return new InboundEndpoint.Inbound.Answer(new JsonObject().put("type", PONG));
    }
    Mapping mapping = DiscordMapper.map(interaction, raw.length(), Instant.now());
    if (mapping == null) {
      throw ApiError.invalid("invalid_interaction", "the body is not a Discord interaction", "id");
    }
    if (mapping instanceof Mapping.Handle handle) {
      return new InboundEndpoint.Inbound.Record(List.of(handle), () -> answer(handle, arrived));
    }
    JsonObject unsupported = type == 4 // autocomplete: no suggestions
        ? new JsonObject().put("type", AUTOCOMPLETE_RESULT).put("data", new JsonObject().put("choices", List.of()))
        : new JsonObject().put("type", MESSAGE).put("data", DiscordChannelAdapter.message(
            Reply.text("Sorry, I can't handle that here."), "Sorry, I can't handle that here.", true, false));
    return new InboundEndpoint.Inbound.Record(List.of(mapping), () -> Future.succeededFuture(unsupported));
  }

  /** The reply at once when it is ready in time and fits one message, else "thinking…" until the outbox edits it. */
  private Future<JsonObject> answer(Mapping.Handle handle, long arrived) {
    return InlineReply.await(gateway, DiscordMapper.CHANNEL, handle.envelope().id(), arrived, ANSWER_WITHIN,
            DiscordInteractionsHandler::fitsOneMessage)
        .map(report -> {
          if (report == null) {
            return new JsonObject().put("type", DEFERRED_MESSAGE)
                .put("data", new JsonObject().put("flags", EPHEMERAL));
          }
          Reply last = report.replies().get(report.replies().size() - 1);
          return new JsonObject().put("type", MESSAGE)
              .put("data", DiscordChannelAdapter.message(last, text(report), true, report.visibleToAll()));
        });
  }

  private static boolean fitsOneMessage(MessageReport report) {
    return text(report).length() <= DiscordApiClient.MAX_TEXT;
  }

  private static String text(MessageReport report) {
    return report.replies().stream().map(Reply::text).collect(Collectors.joining("\n\n"));
  }
}
