package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /slack/interactivity}: a button click ({@code block_actions}) becomes a message whose content is the
 * button's value, in the conversation of the message that carried the buttons (its thread, or the DM), so it
 * reaches the skill that asked. Recorded, then acked with an empty 200; other interaction types are acked only.
 */
final class SlackInteractivityHandler implements InboundEndpoint.Platform {
  static final int BODY_LIMIT = 256 * 1024;

  private final InboundGateway gateway;
  private final SlackRequestVerifier verifier;

  SlackInteractivityHandler(InboundGateway gateway, SlackRequestVerifier verifier) {
    this.gateway = gateway;
    this.verifier = verifier;
  }

  void mount(Router router) {
    InboundEndpoint.mount(router, "/slack/interactivity", BODY_LIMIT, gateway, this);
  }

  @Override
  public void verify(HttpServerRequest request, Buffer raw) {
    verifier.check(request, raw);
  }

  @Override
  public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
    String payload = FormBody.parse(raw).get("payload");
    if (payload == null) {
      throw ApiError.invalid("missing_field", "payload is required", "payload");
    }
    List<Mapping> mappings = mappings(StrictJson.parseObject(Buffer.buffer(payload)), raw.length());
    return new InboundEndpoint.Inbound.Record(mappings, () -> Future.succeededFuture(null));
  }

  /** A button click to handle; other interactions are only acknowledged. */
  List<Mapping> mappings(JsonObject interaction, int rawSize) {
    Envelope click;
    try {
      click = "block_actions".equals(interaction.getValue("type")) ? click(interaction, rawSize) : null;
    } catch (IllegalArgumentException e) { // ids we cannot use: acknowledged, not handled
      click = null;
    }
    if (click == null) {
      return List.of();
    }
    String channel = click.conversation().id().split(":")[0];
    return List.of(new Mapping.Handle(click, new SlackAddress(channel, click.thread(), null)));
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
