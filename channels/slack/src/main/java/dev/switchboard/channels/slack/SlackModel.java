package dev.switchboard.channels.slack;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.util.json.GsonBlockElementFactory;
import com.slack.api.util.json.GsonLayoutBlockFactory;
import com.slack.api.util.json.GsonTextObjectFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Slack's own types (its Java SDK's model: Block Kit, events) to and from the JSON on the wire, with Gson set up
 * as the SDK sets it up (snake_case fields, Block Kit's polymorphic types). The SDK's HTTP client is not used:
 * its calls block, and I/O here stays on Vert.x.
 */
final class SlackModel {
  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .registerTypeAdapter(LayoutBlock.class, new GsonLayoutBlockFactory())
      .registerTypeAdapter(BlockElement.class, new GsonBlockElementFactory())
      .registerTypeAdapter(TextObject.class, new GsonTextObjectFactory())
      .create();

  /** The fields of a message event that the gateway reads, whichever of the two event types carried it. */
  record UserMessage(String user, String botId, String channel, String channelType, String ts, String threadTs,
      String text) {}

  private SlackModel() {}

  /** Blocks as the {@code blocks} argument of {@code chat.postMessage}. */
  static JsonArray blocks(List<LayoutBlock> blocks) {
    return new JsonArray(GSON.toJson(blocks));
  }

  /**
   * An {@code app_mention} or {@code message} event read as Slack's types; {@code null} for another type or one
   * whose fields have the wrong shapes.
   */
  static UserMessage userMessage(JsonObject event) {
    try {
      if ("app_mention".equals(event.getValue("type"))) {
        AppMentionEvent e = GSON.fromJson(event.encode(), AppMentionEvent.class);
        return new UserMessage(e.getUser(), e.getBotId(), e.getChannel(), null, e.getTs(), e.getThreadTs(),
            e.getText());
      }
      if ("message".equals(event.getValue("type"))) {
        MessageEvent e = GSON.fromJson(event.encode(), MessageEvent.class);
        return new UserMessage(e.getUser(), e.getBotId(), e.getChannel(), e.getChannelType(), e.getTs(),
            e.getThreadTs(), e.getText());
      }
      return null;
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      return null; // e.g. a number where the type has a list
    }
  }
}
