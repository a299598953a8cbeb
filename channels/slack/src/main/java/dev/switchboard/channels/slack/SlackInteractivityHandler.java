package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /slack/interactivity}: a button click ({@code block_actions}) becomes a message whose content is the
 * button's value, in the conversation of the message that carried the buttons (its thread, or the DM), so it
 * reaches the skill that asked. Recorded, then acked with an empty 200; other interaction types are acked only.
 */
final class SlackInteractivityHandler {
  static final int BODY_LIMIT = 256 * 1024;

  private final InboundGateway gateway;
  private final SlackRequestVerifier verifier;

  SlackInteractivityHandler(InboundGateway gateway, SlackRequestVerifier verifier) {
    this.gateway = gateway;
    this.verifier = verifier;
  }

  void mount(Router router) {
    router.post("/slack/interactivity").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::post);
  }

  private void post(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    verifier.check(ctx, raw);
    Map<String, String> form = FormBody.parse(raw);
    String payload = form.get("payload");
    if (payload == null) {
      throw ApiError.invalid("missing_field", "payload is required", "payload");
    }
    accept(StrictJson.parseObject(Buffer.buffer(payload)), raw.length())
        .onSuccess(v -> ctx.response().setStatusCode(200).end())
        .onFailure(ctx::fail);
  }

  /** Records a button click; other interactions are only acknowledged. */
  Future<Void> accept(JsonObject interaction, int rawSize) {
    Envelope click;
    try {
      click = "block_actions".equals(interaction.getValue("type")) ? click(interaction, rawSize) : null;
    } catch (IllegalArgumentException e) { // ids we cannot use: acknowledged, not handled
      click = null;
    }
    if (click == null) {
      return Future.succeededFuture();
    }
    JsonObject address = new JsonObject().put("channel", click.conversation().id().split(":")[0]);
    if (click.thread() != null) {
      address.put("thread_ts", click.thread());
    }
    return gateway.admit(click, address).mapEmpty();
  }

  /** The click as an envelope, or {@code null} when it has no button value or no channel to answer in. */
  static Envelope click(JsonObject interaction, int rawSize) {
    JsonObject user = object(interaction, "user");
    JsonObject channel = object(interaction, "channel");
    JsonObject message = object(interaction, "message");
    JsonArray actions = interaction.getValue("actions") instanceof JsonArray a ? a : new JsonArray();
    JsonObject action = actions.isEmpty() || !(actions.getValue(0) instanceof JsonObject o) ? null : o;
    String trigger = string(interaction, "trigger_id");
    if (user == null || channel == null || action == null || trigger == null || trigger.length() > 100) {
      return null;
    }
    String value = string(action, "value");
    String channelId = string(channel, "id");
    String userId = string(user, "id");
    if (value == null || value.isEmpty() || channelId == null || userId == null
        || TextRules.problem(value) != null || value.length() > 2000) {
      return null;
    }
    String thread = message == null ? null : string(message, "thread_ts");
    JsonObject label = object(action, "text");
    String conversation = channelId + (thread != null ? ":" + thread : "");
    return new Envelope(new MessageId("action:" + trigger), SlackMapper.CHANNEL,
        new ConversationKey(SlackMapper.CHANNEL, conversation), new Sender(userId, string(user, "username")),
        new Content.Callback(value, label == null ? "" : string(label, "text")), null, thread, Instant.now(),
        rawSize);
  }

  private static JsonObject object(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : null;
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
