package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Sender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code POST /slack/commands} (form-encoded): verify, record the command, and answer within Slack's 3 s. A
 * reply ready in {@link #ANSWER_WITHIN} goes in the answer (ephemeral) and is marked delivered; a later one is
 * POSTed to {@code response_url} once the outbox's hold ({@link SlackChannelAdapter#COMMAND_HOLD}) is over. The
 * conversation is the user in that channel.
 */
final class SlackCommandsHandler {
  static final int BODY_LIMIT = 64 * 1024;
  static final Duration ANSWER_WITHIN = Duration.ofMillis(2500);
  /** Below this, the reply is left to the outbox rather than put in an answer that may come too late. */
  private static final Duration MIN_LEFT_TO_ANSWER = Duration.ofMillis(100);

  private final InboundGateway gateway;
  private final SlackRequestVerifier verifier;
  private final Predicate<String> allowedResponseUrl;

  SlackCommandsHandler(InboundGateway gateway, SlackRequestVerifier verifier, Predicate<String> allowedResponseUrl) {
    this.gateway = gateway;
    this.verifier = verifier;
    this.allowedResponseUrl = allowedResponseUrl;
  }

  void mount(Router router) {
    router.post("/slack/commands").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::post);
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    verifier.check(ctx, raw);
    Map<String, String> form = FormBody.parse(raw);
    if ("1".equals(form.get("ssl_check"))) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    handle(form, raw.length(), true)
        .compose(answer -> answer == null
            ? ctx.response().setStatusCode(200).end()
            : HttpResponses.json(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  /**
   * Records the command and waits briefly for its reply. Answers the message to give Slack at once (the reply,
   * already marked delivered so it cannot go out twice), or {@code null} when the reply will come later.
   *
   * @param canAnswer whether the answer can carry a reply (Socket Mode: {@code accepts_response_payload})
   */
  Future<JsonObject> handle(Map<String, String> form, int rawSize, boolean canAnswer) {
    long arrived = System.nanoTime();
    Envelope envelope;
    try {
      envelope = envelope(form, rawSize);
    } catch (IllegalArgumentException e) { // ids we cannot use (too long, control characters)
      return Future.failedFuture(ApiError.invalid("invalid_form", "the command's ids are not usable", null));
    }
    String responseUrl = form.get("response_url");
    JsonObject address = new JsonObject().put("channel", form.get("channel_id"));
    if (responseUrl != null && allowedResponseUrl.test(responseUrl)) {
      address.put("response_url", responseUrl);
    }
    if (!canAnswer) {
      return gateway.admit(envelope, address).map((JsonObject) null);
    }
    return gateway.admit(envelope, address)
        .compose(admission -> gateway.awaitReport(SlackMapper.CHANNEL, envelope.id(), left(arrived)))
        .compose(report -> left(arrived).compareTo(MIN_LEFT_TO_ANSWER) < 0
            ? Future.succeededFuture() // too late to answer in time: the outbox delivers it instead
            : answer(envelope, report));
  }

  /** Slack's 3 s, counted from arrival, less what the answer itself needs. */
  private static Duration left(long arrivedNanos) {
    Duration left = ANSWER_WITHIN.minusNanos(System.nanoTime() - arrivedNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private Future<JsonObject> answer(Envelope envelope, MessageReport report) {
    if (report == null || !report.done() || report.replies().isEmpty()) {
      return Future.succeededFuture();
    }
    return gateway.markRepliedInline(SlackMapper.CHANNEL, envelope.id()).map(marked -> {
      if (marked == 0) {
        return null; // already on its way through response_url
      }
      String text = report.replies().stream().map(Reply::text).collect(Collectors.joining("\n\n"));
      return SlackChannelAdapter.responseBody(text, report.visibleToAll());
    });
  }

  private static Envelope envelope(Map<String, String> form, int rawSize) {
    String command = required(form, "command");
    String user = required(form, "user_id");
    String channel = required(form, "channel_id");
    String trigger = required(form, "trigger_id");
    String text = form.getOrDefault("text", "");
    for (String value : new String[] {command, user, channel, trigger, text}) {
      if (TextRules.problem(value) != null || value.length() > 4096) {
        throw ApiError.invalid("invalid_form", "a field of the command is not valid", null);
      }
    }
    Content.Command parsed = Content.Command.parse(command + " " + text);
    if (parsed == null || trigger.length() > 100) {
      throw ApiError.invalid("invalid_form", "command is not a slash command", "command");
    }
    return new Envelope(new MessageId("command:" + trigger), SlackMapper.CHANNEL,
        new ConversationKey(SlackMapper.CHANNEL, channel + ":" + user), new Sender(user, form.get("user_name")),
        parsed, null, null, Instant.now(), rawSize);
  }

  private static String required(Map<String, String> form, String field) {
    String value = form.get(field);
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("missing_field", field + " is required", field);
    }
    return value;
  }
}
