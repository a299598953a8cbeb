package dev.switchboard.channels.discord;

import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an interaction: a slash command ({@code APPLICATION_COMMAND}, type 2) or a button press
 * ({@code MESSAGE_COMPONENT}, type 3) becomes a message of the user in that channel; the conversation is the
 * user in the channel, as for Slack's slash commands. Pure: no I/O.
 */
final class DiscordMapper {
  static final ChannelId CHANNEL = new ChannelId("discord");
  /** The longest string a slash command option may hold: longer inbound text is kept on record only. */
  static final int MAX_INBOUND_TEXT = 6000;
  static final int PING = 1;
  static final int APPLICATION_COMMAND = 2;
  static final int MESSAGE_COMPONENT = 3;
  /** How long an interaction's token may be used to answer it. */
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

  private DiscordMapper() {}

  /** A command or a press to handle, or one kept on record only; {@code null} when it has no usable id. */
  static Mapping map(JsonObject interaction, int rawSize, Instant now) {
    String id = string(interaction, "id");
    if (id == null || !id.matches("\\d{1,20}")) { // Discord's ids are snowflakes: decimal numbers
      return null;
    }
    MessageId messageId = new MessageId("interaction:" + id);
    int type = interaction.getValue("type") instanceof Number n ? n.intValue() : 0;
    JsonObject data = object(interaction, "data");
    Content content = data == null ? null : switch (type) {
      case APPLICATION_COMMAND -> command(data);
      case MESSAGE_COMPONENT -> press(data);
      default -> null;
    };
    JsonObject user = user(interaction);
    String channel = string(interaction, "channel_id");
    String token = string(interaction, "token");
    if (content == null || user == null || channel == null || token == null || string(user, "id") == null
        || TextRules.problem(content.text()) != null) {
      return new Mapping.Skip(CHANNEL, messageId, interaction, "interaction type " + type + " not handled");
    }
    String userId = string(user, "id");
    try {
      Envelope envelope = new Envelope(messageId, CHANNEL, new ConversationKey(CHANNEL, channel + ":" + userId),
          new Sender(userId, string(user, "username")), content, null, null, now, rawSize);
      return Mapping.within(MAX_INBOUND_TEXT, envelope, new DiscordAddress(token, channel, now.plus(TOKEN_LIFETIME)),
          reason -> new Mapping.Skip(CHANNEL, messageId, interaction, reason));
    } catch (IllegalArgumentException e) { // ids we cannot use (too long, control characters)
      return new Mapping.Skip(CHANNEL, messageId, interaction, "unusable ids");
    }
  }

  /** {@code /todo add milk}: the command's name, then its options' values, sub-commands by name, in order. */
  static Content command(JsonObject data) {
    String name = string(data, "name");
    if (name == null || name.isBlank()) {
      return null;
    }
    List<String> words = new ArrayList<>();
    words.add("/" + name);
    options(data.getValue("options"), words);
    return Content.Command.parse(String.join(" ", words));
  }

  private static void options(Object options, List<String> words) {
    if (!(options instanceof JsonArray array)) {
      return;
    }
    for (Object item : array) {
      if (item instanceof JsonObject option) {
        if (option.containsKey("options") || !option.containsKey("value")) { // a sub-command (group)
          if (string(option, "name") != null) {
            words.add(string(option, "name"));
          }
          options(option.getValue("options"), words);
        } else if (option.getValue("value") != null) {
          words.add(String.valueOf(option.getValue("value")));
        }
      }
    }
  }

  /** A button press: its {@code custom_id} is the choice's value. */
  private static Content press(JsonObject data) {
    String value = string(data, "custom_id");
    return value == null || value.isEmpty() ? null : new Content.Callback(value, "");
  }

  /** The user: {@code member.user} in a server, {@code user} in a direct message. */
  private static JsonObject user(JsonObject interaction) {
    JsonObject member = object(interaction, "member");
    return member != null && object(member, "user") != null ? object(member, "user") : object(interaction, "user");
  }

  private static JsonObject object(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : null;
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
