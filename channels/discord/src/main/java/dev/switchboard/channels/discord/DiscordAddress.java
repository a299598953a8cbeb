package dev.switchboard.channels.discord;

import dev.switchboard.channels.ReplyAddress;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where Discord replies go: the interaction's response, through its token (valid 15 minutes: the deferred
 * "thinking…" message is edited, then follow-ups posted), and the channel, for a bot message after that.
 *
 * @param token the interaction's token (not a secret of the app: it opens this one interaction's replies only)
 * @param channelId the channel the interaction came from
 * @param expiresAt when the interaction token stops working
 */
record DiscordAddress(String token, String channelId, Instant expiresAt) implements ReplyAddress {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("token", token).put("channel_id", channelId)
        .put("expires_at", expiresAt.getEpochSecond());
  }

  static DiscordAddress from(JsonObject json) {
    return new DiscordAddress(json.getString("token"), json.getString("channel_id"),
        Instant.ofEpochSecond(json.getLong("expires_at", 0L)));
  }
}
