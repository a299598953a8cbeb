package dev.switchboard.channels.webhook;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.Caller;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.ReplyJson;
import dev.switchboard.channels.RequestAuth;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.MessageId;
import dev.switchboard.channels.Admission;
import dev.switchboard.spi.Envelope;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/messages} and {@code GET /v1/messages/{id}}: authenticate, check the media type, read at
 * most {@link #BODY_LIMIT} bytes, map, record durably, then answer with the replies or {@code 202}.
 */
final class WebhookHandler {
  /** Largest accepted body; larger ones get 413 before any parsing. */
  static final int BODY_LIMIT = 64 * 1024;
  static final int MAX_WAIT_SECONDS = 30;
  static final int DEFAULT_WAIT_SECONDS = 10;

  private final InboundGateway gateway;
  private final RequestAuth auth;
  private final CallbackTargets callbackTargets;

  WebhookHandler(InboundGateway gateway, RequestAuth auth, CallbackTargets callbackTargets) {
    this.gateway = gateway;
    this.auth = auth;
    this.callbackTargets = callbackTargets;
  }

  void mount(Router router) {
    // Two routes: Vert.x puts the body handler before user handlers on one route, and the caller must be
    // authenticated and the media type checked before any of the body is read.
    router.post("/v1/messages")
        .handler(auth)
        .handler(WebhookHandler::requireJson);
    router.post("/v1/messages")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::post);
    router.get("/v1/messages/:id")
        .handler(auth)
        .handler(this::get);
  }

  private static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (!isUtf8Json(type)) {
      throw ApiError.unsupportedMediaType("application/json");
    }
    ctx.next();
  }

  static boolean isUtf8Json(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=")) {
        String charset = param.substring(8).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null) {
      raw = Buffer.buffer();
    }
    JsonObject body = StrictJson.parseObject(raw);
    Duration wait = waitParameter(ctx);
    Caller caller = Caller.of(ctx);
    Mapping.Handle read = WebhookMapper.read(caller, body, ctx.request().getHeader("Idempotency-Key"),
        raw.length(), Instant.now());
    // the caller's trace, if it sent one, goes on through the message's handling
    Mapping.Handle message = new Mapping.Handle(read.envelope(), read.address(),
        ctx.request().getHeader("traceparent"));
    String callbackUrl = ((WebhookAddress) message.address()).callbackUrl();
    Future<?> reachable = callbackUrl == null ? Future.succeededFuture() : callbackTargets.resolve(callbackUrl);
    reachable.compose(checked -> message.record(gateway))
        .compose(admission -> reportAfterAdmission(message.envelope(), admission, wait)
            .compose(report -> respond(ctx, caller, report, admission.duplicate())))
        .onFailure(ctx::fail);
  }

  /** The report to answer with: waits for the reply unless {@code wait} is zero. */
  private Future<MessageReport> reportAfterAdmission(Envelope envelope, Admission admission, Duration wait) {
    MessageReport accepted = new MessageReport(envelope.id(), envelope.conversation(), MessageReport.ACCEPTED,
        List.of(), null, null, envelope.receivedAt(), false);
    if (wait.isZero() && !admission.duplicate()) {
      return Future.succeededFuture(accepted);
    }
    return gateway.awaitReport(ChannelId.WEBHOOK, envelope.id(), wait)
        .map(report -> report == null ? accepted : report);
  }

  private Future<Void> respond(RoutingContext ctx, Caller caller, MessageReport report, boolean duplicate) {
    JsonObject json = toJson(caller, report);
    if (duplicate) {
      json.put("duplicate", true);
    }
    return HttpResponses.json(ctx, report.done() ? 200 : 202, json);
  }

  private void get(RoutingContext ctx) {
    String id = WebhookMapper.checkId(ctx.pathParam("id"), "id");
    Caller caller = Caller.of(ctx);
    // only the caller's own messages: another caller's id is not in its namespace, so it is not found
    gateway.report(ChannelId.WEBHOOK, new MessageId(caller.scope(id)))
        .compose(report -> {
          if (report == null) {
            return Future.failedFuture(ApiError.notFound("no message with id " + id));
          }
          return HttpResponses.json(ctx, 200, toJson(caller, report));
        })
        .onFailure(ctx::fail);
  }

  private static Duration waitParameter(RoutingContext ctx) {
    List<String> values;
    try {
      values = ctx.queryParam("wait");
    } catch (IllegalArgumentException e) { // malformed percent-encoding in the query string
      throw ApiError.invalid("invalid_parameter", "the query string is not valid", "wait");
    }
    if (values.isEmpty()) {
      return Duration.ofSeconds(DEFAULT_WAIT_SECONDS);
    }
    String value = values.get(0);
    int seconds;
    try {
      seconds = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (values.size() > 1 || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      throw ApiError.invalid("invalid_parameter",
          "wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS, "wait");
    }
    return Duration.ofSeconds(seconds);
  }

  /** The report as {@code caller} sees it: ids as it named them. */
  static JsonObject toJson(Caller caller, MessageReport report) {
    String id = caller.unscope(report.id().value());
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("status", report.status())
        .put("conversation", caller.unscope(report.conversation().id()));
    if (!report.done()) {
      return json.put("status_url", "/v1/messages/" + id);
    }
    JsonArray replies = new JsonArray();
    report.replies().forEach(r -> replies.add(ReplyJson.toJson(r)));
    json.put("replies", replies);
    if (report.route() != null) {
      json.put("route", report.route().toJson());
    }
    if (report.error() != null) {
      json.put("error", new JsonObject().put("code", "skill_failed").put("message", report.error()));
    }
    return json;
  }
}
