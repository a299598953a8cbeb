package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.InlineReply;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Sender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code POST /slack/commands} (form-encoded): verify, record the command, and answer within Slack's 3 s. A
 * reply ready in {@link #ANSWER_WITHIN} goes in the answer (ephemeral) and is marked delivered; a later one is
 * POSTed to {@code response_url} once the outbox's hold ({@link SlackChannelAdapter#COMMAND_HOLD}) is over. The
 * conversation is the user in that channel.
 */
final class SlackCommandsHandler implements InboundEndpoint.Platform {
  static final int BODY_LIMIT = 64 * 1024;
  static final Duration ANSWER_WITHIN = Duration.ofMillis(2500);

  private final InboundGateway gateway;
  private final SlackRequestVerifier verifier;
  private final Predicate<String> allowedResponseUrl;

  SlackCommandsHandler(InboundGateway gateway, SlackRequestVerifier verifier, Predicate<String> allowedResponseUrl) {
    this.gateway = gateway;
    this.verifier = verifier;
    this.allowedResponseUrl = allowedResponseUrl;
  }

  void mount(Router router) {
    InboundEndpoint.mount(router, "/slack/commands", BODY_LIMIT, gateway, this);
  }

  @Override
  public void verify(HttpServerRequest request, Buffer raw) {
    verifier.check(request, raw);
  }

  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    long arrived = System.nanoTime();
    Map<String, String> form = FormBody.parse(raw);
    if ("1".equals(form.get("ssl_check"))) {
      return new InboundEndpoint.Inbound.Answer(new JsonObject());
    }
    Mapping.Handle command = mapping(form, raw.length());
    return new InboundEndpoint.Inbound.Record(List.of(command), () -> answer(command.envelope(), arrived));
  }

  /**
   * A slash command over Socket Mode: recorded, then answered like over HTTP when Slack accepts a payload in
   * the ack ({@code accepts_response_payload}). Answers {@code null} when there is nothing to put in the ack.
   */
  Future<JsonObject> handle(Map<String, String> form, int rawSize, boolean canAnswer) {
    long arrived = System.nanoTime();
    Mapping.Handle command;
    try {
      command = mapping(form, rawSize);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return command.record(gateway)
        .compose(admission -> canAnswer ? answer(command.envelope(), arrived) : Future.succeededFuture());
  }

  /** The command to handle; throws {@link ApiError} (400) for a form that is not a usable command. */
  private Mapping.Handle mapping(Map<String, String> form, int rawSize) {
    Envelope envelope;
    try {
      envelope = envelope(form, rawSize);
    } catch (IllegalArgumentException e) { // ids we cannot use (too long, control characters)
      throw ApiError.invalid("invalid_form", "the command's ids are not usable", null);
    }
    String responseUrl = form.get("response_url");
    return new Mapping.Handle(envelope, new SlackAddress(form.get("channel_id"), null,
        responseUrl != null && allowedResponseUrl.test(responseUrl) ? responseUrl : null));
  }

  /**
   * Waits briefly for the recorded command's reply. Answers the message to give Slack at once (the reply,
   * already marked delivered so it cannot go out twice), or {@code null} when the reply will come later.
   */
  private Future<JsonObject> answer(Envelope envelope, long arrived) {
    return InlineReply.await(gateway, SlackMapper.CHANNEL, envelope.id(), arrived, ANSWER_WITHIN, report -> true)
        .map(report -> report == null ? null : SlackChannelAdapter.responseBody(
            report.replies().stream().map(Reply::text).collect(Collectors.joining("\n\n")), report.visibleToAll()));
  }

  private static Envelope envelope(Map<String, String> form, int rawSize) {
    String command = required(form, "command");
    String user = required(form, "user_id");
    String channel = required(form, "channel_id");
    String trigger = required(form, "trigger_id");
    String text = form.getOrDefault("text", "");
    for (String value : new String[] {command, user, channel, trigger, text}) {
      if (TextRules.problem(value) != null || value.length() > (value == text ? SlackMapper.MAX_INBOUND_TEXT : 256)) {
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
