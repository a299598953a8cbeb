package dev.switchboard.channels;

import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Replies as JSON: {@code {"text"}} or {@code {"text","choices":[{"label","value"}]}}. */
public final class ReplyJson {
  private ReplyJson() {}

  public static JsonObject toJson(Reply reply) {
    JsonObject json = new JsonObject().put("text", reply.text());
    if (reply instanceof Reply.Choices choices) {
      JsonArray array = new JsonArray();
      for (Choice c : choices.choices()) {
        array.add(new JsonObject().put("label", c.label()).put("value", c.value()));
      }
      json.put("choices", array);
    }
    return json;
  }

  /** The stored flag {@code visible_to_all} of a reply (see {@code SkillResponse#visibleToAll}). */
  public static final String VISIBLE_TO_ALL = "visible_to_all";

  public static Reply fromJson(JsonObject json) {
    JsonArray choices = json.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return new Reply.Text(json.getString("text"));
    }
    return new Reply.Choices(json.getString("text"), choices.stream()
        .map(JsonObject.class::cast)
        .map(c -> new Choice(c.getString("label"), c.getString("value")))
        .toList());
  }
}
