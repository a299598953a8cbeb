package dev.switchboard.channels.whatsapp;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a Cloud API notification (every {@code entry[].changes[].value}, batches included) into what the gateway
 * does with it: messages to handle, messages acknowledged only (reactions, contacts, unsupported types), and
 * status reports about replies we sent. Pure: no I/O.
 */
public final class WhatsAppMapper {
  public static final ChannelId CHANNEL = new ChannelId("whatsapp");

  /** What one notification holds, in order, and the errors WhatsApp reported in it (for the log). */
  public record Notification(List<Mapping> mappings, List<String> errors) {}

  private static final java.util.Set<String> STATUSES = java.util.Set.of("sent", "delivered", "read", "failed");

  private WhatsAppMapper() {}

  public static Notification map(JsonObject body, int rawSize, Instant now) {
    List<Mapping> mappings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (JsonObject entry : objects(body.getValue("entry"))) {
      for (JsonObject change : objects(entry.getValue("changes"))) {
        JsonObject value = change.getValue("value") instanceof JsonObject v ? v : new JsonObject();
        List<JsonObject> contacts = objects(value.getValue("contacts"));
        for (JsonObject message : objects(value.getValue("messages"))) {
          mappings.add(mapMessage(message, contacts, rawSize, now));
        }
        for (JsonObject status : objects(value.getValue("statuses"))) {
          String id = string(status, "id");
          String state = string(status, "status");
          if (id != null && state != null && STATUSES.contains(state)) { // Set.of refuses to look up null
            JsonObject error = objects(status.getValue("errors")).stream().findFirst().orElse(null);
            mappings.add(new Mapping.StatusUpdate(CHANNEL, id, state, error == null ? null
                : error.getValue("code") + " " + string(error, "title")));
          }
        }
        for (JsonObject error : objects(value.getValue("errors"))) {
          errors.add(error.getValue("code") + " " + string(error, "title"));
        }
      }
    }
    return new Notification(mappings.stream().filter(java.util.Objects::nonNull).toList(), errors);
  }

  /** A message to handle or to keep on record; {@code null} for one without the ids to do either. */
  private static Mapping mapMessage(JsonObject m, List<JsonObject> contacts, int rawSize, Instant now) {
    String wamid = string(m, "id");
    String from = string(m, "from");
    String fromUser = string(m, "from_user_id");
    // key senders on the business-scoped user id when there is one (username users may have no number)
    String who = fromUser != null && !fromUser.isBlank() ? fromUser : from;
    if (wamid == null || who == null || who.isBlank() || who.length() > 256) {
      return null;
    }
    MessageId id = id(wamid);
    String type = string(m, "type");
    Content content = content(m, type == null ? "" : type);
    if (content == null || TextRules.problem(content.text()) != null) {
      return new Mapping.Skip(CHANNEL, id, m, "message type " + type);
    }
    String name = contacts.stream()
        .filter(c -> who.equals(string(c, "wa_id")) || who.equals(string(c, "user_id")))
        .map(c -> c.getValue("profile") instanceof JsonObject p ? string(p, "name") : null)
        .filter(n -> n != null && !n.isBlank()).findFirst().orElse(null);
    JsonObject context = m.getValue("context") instanceof JsonObject c ? c : null;
    Envelope envelope;
    try {
      envelope = new Envelope(id, CHANNEL, new ConversationKey(CHANNEL, who), new Sender(who, name), content,
          context == null ? null : string(context, "id"), null, now, rawSize);
    } catch (IllegalArgumentException e) { // a sender id we cannot use: acknowledged, kept on record
      return new Mapping.Skip(CHANNEL, id, m, "unusable sender id");
    }
    boolean hasNumber = from != null && !from.isBlank();
    return Mapping.within(WhatsAppApiClient.MAX_TEXT, envelope,
        new WhatsAppAddress(hasNumber ? from : null, hasNumber ? null : fromUser, wamid),
        reason -> new Mapping.Skip(CHANNEL, id, m, reason));
  }

  private static Content content(JsonObject m, String type) {
    JsonObject part = m.getValue(type) instanceof JsonObject p ? p : new JsonObject();
    switch (type) {
      case "text" -> {
        String body = string(part, "body");
        if (body == null || body.isBlank()) {
          return null;
        }
        Content.Command command = Content.Command.parse(body);
        return command != null ? command : new Content.Text(body);
      }
      case "image", "document", "audio", "video", "sticker" -> {
        String mediaId = string(part, "id");
        return mediaId == null ? null : new Content.Media(type, mediaId, string(part, "caption"));
      }
      case "interactive" -> {
        JsonObject reply = part.getValue("button_reply") instanceof JsonObject b ? b
            : part.getValue("list_reply") instanceof JsonObject l ? l : null;
        return reply == null || string(reply, "id") == null ? null
            : new Content.Callback(string(reply, "id"), string(reply, "title"));
      }
      case "button" -> {
        String payload = string(part, "payload");
        return payload == null ? null : new Content.Callback(payload, string(part, "text"));
      }
      case "location" -> {
        Object lat = part.getValue("latitude");
        Object lng = part.getValue("longitude");
        if (!(lat instanceof Number) || !(lng instanceof Number)) {
          return null;
        }
        String label = String.join(" ", List.of(nonNull(string(part, "name")), nonNull(string(part, "address"))))
            .strip();
        return new Content.Media("location", "geo:" + lat + "," + lng, label);
      }
      default -> {
        return null; // reaction (also a removed one, without emoji), contacts, system, unsupported
      }
    }
  }

  /** A platform id as a message id: as it is when it fits, else its SHA-256. */
  public static MessageId id(String raw) {
    if (raw.length() <= 120 && TextRules.problem(raw) == null && raw.chars().noneMatch(Character::isISOControl)) {
      return new MessageId(raw);
    }
    try {
      return new MessageId("sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonObject> objects(Object value) {
    List<JsonObject> list = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject o) {
          list.add(o);
        }
      }
    }
    return list;
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
