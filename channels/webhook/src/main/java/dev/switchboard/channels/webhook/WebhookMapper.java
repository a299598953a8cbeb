package dev.switchboard.channels.webhook;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.Caller;
import dev.switchboard.channels.Mapping;
import dev.switchboard.channels.TextRules;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Maps a {@code POST /v1/messages} body onto an envelope, checking every field. Pure: no I/O.
 */
public final class WebhookMapper {
  /** Most code points in {@code text}. */
  public static final int MAX_TEXT_CODE_POINTS = 4096;
  static final int MAX_NAME_LENGTH = 256;
  static final int MAX_URL_LENGTH = 2048;
  /** Longest message id a caller may choose. */
  static final int MAX_ID_LENGTH = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:~-]{1," + MAX_ID_LENGTH + "}");

  private WebhookMapper() {}

  /**
   * Reads one request from {@code caller}: a named caller is its own sender ({@code sender} may be left out) and
   * its message id and conversation live in its namespace ({@link Caller#scope}).
   *
   * @param caller who sent it
   * @param body the parsed JSON object
   * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
   * @param rawSize the body's size in bytes
   * @param now the time of receipt
   * @throws ApiError (400) naming the first invalid field, or 403 when a named caller names another sender
   */
  public static Mapping.Handle read(Caller caller, JsonObject body, String idempotencyKey, int rawSize,
      Instant now) {
    String text = requiredString(body, "text", "text");
    int codePoints = text.codePointCount(0, text.length());
    if (text.isBlank()) {
      throw ApiError.invalid("invalid_field", "text must not be blank", "text");
    }
    if (codePoints > MAX_TEXT_CODE_POINTS) {
      throw ApiError.invalid("text_too_long",
          "text has " + codePoints + " characters; at most " + MAX_TEXT_CODE_POINTS + " are allowed", "text");
    }
    checkText(text, "text");

    Object senderValue = body.getValue("sender");
    if (senderValue == null && caller.local()) {
      throw ApiError.invalid("missing_field", "sender is required", "sender");
    }
    if (senderValue != null && !(senderValue instanceof JsonObject)) {
      throw ApiError.invalid("invalid_field", "sender must be an object", "sender");
    }
    JsonObject sender = senderValue == null ? new JsonObject().put("id", caller.name()) : (JsonObject) senderValue;
    String senderId = requiredString(sender, "id", "sender.id");
    checkName(senderId, "sender.id");
    if (!caller.local() && !senderId.equals(caller.name())) {
      throw ApiError.forbidden("sender.id must be the caller's own name (" + caller.name() + ")");
    }
    String senderName = optionalString(sender, "name", "sender.name");
    if (senderName != null) {
      checkName(senderName, "sender.name");
    }

    String conversation = optionalString(body, "conversation", "conversation");
    if (conversation != null) {
      checkName(conversation, "conversation");
    } else {
      conversation = senderId;
    }

    String id = messageId(optionalString(body, "id", "id"), idempotencyKey);
    String callbackUrl = callbackUrl(optionalString(body, "callback_url", "callback_url"));

    Content content = Content.Command.parse(text);
    if (content == null) {
      content = new Content.Text(text);
    }
    ChannelId channel = ChannelId.WEBHOOK;
    Envelope envelope = new Envelope(new MessageId(caller.scope(id)), channel,
        new ConversationKey(channel, caller.scope(conversation)), new Sender(senderId, senderName), content, null,
        null, now, rawSize);
    return new Mapping.Handle(envelope, new WebhookAddress(callbackUrl, caller.name()));
  }

  /** Checks a message id from a URL path or header; answers it, or throws 400. */
  public static String checkId(String id, String field) {
    if (id == null || !ID.matcher(id).matches()) {
      throw ApiError.invalid("invalid_field",
          field + " must be 1-" + MAX_ID_LENGTH + " characters of A-Z a-z 0-9 . _ : ~ -", field);
    }
    return id;
  }

  private static String messageId(String bodyId, String header) {
    if (bodyId != null) {
      checkId(bodyId, "id");
    }
    if (header != null) {
      checkId(header, "Idempotency-Key");
    }
    if (bodyId != null && header != null && !bodyId.equals(header)) {
      throw ApiError.invalid("invalid_field", "id and the Idempotency-Key header differ", "id");
    }
    if (bodyId != null) {
      return bodyId;
    }
    return header != null ? header : UUID.randomUUID().toString();
  }

  private static String callbackUrl(String url) {
    if (url == null) {
      return null;
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw ApiError.invalid("invalid_field", "callback_url is longer than " + MAX_URL_LENGTH, "callback_url");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getPort() == 0 || uri.getPort() > 65535) {
        throw ApiError.invalid("invalid_field", "callback_url must be an http or https URL", "callback_url");
      }
      return url;
    } catch (URISyntaxException e) {
      throw ApiError.invalid("invalid_field", "callback_url is not a valid URL", "callback_url");
    }
  }

  private static String requiredString(JsonObject json, String key, String field) {
    Object value = json.getValue(key);
    if (value == null) {
      throw ApiError.invalid("missing_field", field + " is required", field);
    }
    if (!(value instanceof String s)) {
      throw ApiError.invalid("invalid_field", field + " must be a string", field);
    }
    return s;
  }

  private static String optionalString(JsonObject json, String key, String field) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw ApiError.invalid("invalid_field", field + " must be a string", field);
    }
    return s;
  }

  private static void checkName(String value, String field) {
    if (value.isBlank()) {
      throw ApiError.invalid("invalid_field", field + " must not be blank", field);
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw ApiError.invalid("invalid_field", field + " is longer than " + MAX_NAME_LENGTH, field);
    }
    checkText(value, field);
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw ApiError.invalid("invalid_field", field + " must not contain control characters", field);
      }
    }
  }

  private static void checkText(String value, String field) {
    String problem = TextRules.problem(value);
    if (problem != null) {
      throw ApiError.invalid("invalid_field", field + " " + problem, field);
    }
  }
}
