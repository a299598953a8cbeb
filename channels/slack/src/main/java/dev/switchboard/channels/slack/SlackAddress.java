package dev.switchboard.channels.slack;

import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;

/**
 * Where Slack replies go: the channel and thread, or a slash command's {@code response_url} (which answers the
 * invoking user, ephemeral unless the skill asks otherwise).
 */
record SlackAddress(String channel, String threadTs, String responseUrl) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("channel", channel);
    if (threadTs != null) {
      json.put("thread_ts", threadTs);
    }
    if (responseUrl != null) {
      json.put("response_url", responseUrl);
    }
    return json;
  }

  static SlackAddress from(JsonObject json) {
    return new SlackAddress(json.getString("channel"), json.getString("thread_ts"), json.getString("response_url"));
  }
}
