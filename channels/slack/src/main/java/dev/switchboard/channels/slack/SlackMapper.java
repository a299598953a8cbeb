package dev.switchboard.channels.slack;

import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Function;

/**
 * Maps an Events API {@code event_callback} onto an envelope, or says why it is acknowledged without being
 * handled. Pure: no I/O. Handled: direct messages, and channel messages that mention the bot (delivered as
 * {@code app_mention} and, if subscribed, as {@code message} too: both get the id {@code channel:ts}, so the
 * inbound log keeps one). Skipped: edits, deletions, joins and other subtypes, anything from a bot (so the
 * gateway never answers itself), channel chatter. A thread is its own conversation; a mention at the top of a
 * channel starts one (the reply goes into a thread under it).
 */
public final class SlackMapper {
  public static final ChannelId CHANNEL = new ChannelId("slack");
  /** The longest message text Slack keeps (it truncates longer ones): longer inbound text is kept on record only. */
  static final int MAX_INBOUND_TEXT = 40_000;

  private SlackMapper() {}

  /**
   * @param callback the whole {@code event_callback} body
   * @param botUserId the app's bot user id ({@code auth.test}), or {@code null} while unknown
   */
  public static Mapping map(JsonObject callback, String botUserId, int rawSize, Instant now) {
    String eventId = callback.getValue("event_id") instanceof String s && !s.isEmpty() && s.length() <= 100
        && s.chars().noneMatch(Character::isISOControl) ? s : null;
    Function<String, Mapping> skip = reason ->
        new Mapping.Skip(CHANNEL, eventId == null ? null : new MessageId("event:" + eventId), callback, reason);
    JsonObject event = callback.getValue("event") instanceof JsonObject e ? e : null;
    if (event == null) {
      return skip.apply("no event");
    }
    String type = string(event, "type");
    if (!"app_mention".equals(type) && !"message".equals(type)) {
      return skip.apply("event type " + type);
    }
    if (event.containsKey("subtype")) { // edits, deletions, joins: Slack's SDK has a type for each; none is new
      return skip.apply("message subtype " + string(event, "subtype"));
    }
    SlackModel.UserMessage message = SlackModel.userMessage(event);
    if (message == null) {
      return skip.apply("unreadable " + type + " event");
    }
    String user = message.user();
    if (message.botId() != null || user == null || user.equals(botUserId)) {
      return skip.apply("from a bot");
    }
    String channel = message.channel();
    String ts = message.ts();
    String text = message.text();
    if (channel == null || ts == null || text == null) {
      return skip.apply("message without channel, ts or text");
    }
    boolean direct = "im".equals(message.channelType()) || channel.startsWith("D");
    String mention = botUserId == null ? null : "<@" + botUserId + ">";
    boolean mentioned = "app_mention".equals(type) || (mention != null && text.contains(mention));
    if (!direct && !mentioned) {
      return skip.apply("channel message not addressed to the bot");
    }
    String clean = unescape(stripMentions(text, botUserId)).strip();
    if (clean.isEmpty()) {
      clean = "/help"; // a bare mention: say what the bot can do
    }
    Content content = Content.Command.parse(clean);
    if (content == null) {
      content = new Content.Text(clean);
    }
    // a channel mention is answered in a thread under it, and that thread is the conversation from then on
    String thread = message.threadTs() != null ? message.threadTs() : (direct ? null : ts);
    String conversation = channel + (thread != null ? ":" + thread : "");
    try {
      Envelope envelope = new Envelope(new MessageId(channel + ":" + ts), CHANNEL,
          new ConversationKey(CHANNEL, conversation), new Sender(user, null), content, null, thread, now, rawSize);
      return Mapping.within(MAX_INBOUND_TEXT, envelope, new SlackAddress(channel, thread, null), skip);
    } catch (IllegalArgumentException e) { // ids we cannot use (too long, control characters)
      return skip.apply("unusable ids: " + e.getMessage());
    }
  }

  /** Removes {@code <@BOT>} (and a leading mention of the bot written with a label). */
  static String stripMentions(String text, String botUserId) {
    if (botUserId == null) {
      return text.replaceFirst("^\\s*<@[A-Z0-9]+(\\|[^>]*)?>", "");
    }
    return text.replaceAll("<@" + java.util.regex.Pattern.quote(botUserId) + "(\\|[^>]*)?>", "");
  }

  /** Slack escapes {@code & < >} in message text. */
  static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  /** Escapes {@code & < >} for text sent to Slack, so user text cannot become mentions or links. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
