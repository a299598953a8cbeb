package dev.switchboard.channels.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channels.Mapping;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * One update, from either mode (webhook or long polling): parse, map, answer a button press once recorded.
 */
final class TelegramIngress {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramIngress.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final TelegramApiClient api;
  private final Supplier<TelegramMapper.BotIdentity> bot;

  TelegramIngress(TelegramApiClient api, Supplier<TelegramMapper.BotIdentity> bot) {
    this.api = api;
    this.bot = bot;
  }

  /** Reads an update; {@code null} when it is not one (malformed). */
  static Update parse(Buffer raw) {
    try {
      JsonNode tree = JSON.readTree(raw.getBytes());
      if (!(tree instanceof ObjectNode root) || !root.path("update_id").isIntegralNumber()) {
        return null;
      }
      fillRequiredDefaults(root);
      return JSON.treeToValue(root, Update.class);
    } catch (IOException | RuntimeException e) {
      LOG.debug("not an update: {}", e.toString());
      return null;
    }
  }

  /**
   * The Bot API types insist on fields that Telegram's own documented examples leave out ({@code is_bot} of a
   * user, {@code chat_instance} of a callback query); fill them with neutral values rather than reject.
   */
  private static void fillRequiredDefaults(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String userField : new String[] {"from", "user"}) {
        if (object.get(userField) instanceof ObjectNode user && !user.has("is_bot")) {
          user.put("is_bot", false);
        }
      }
      if (object.get("callback_query") instanceof ObjectNode query && !query.has("chat_instance")) {
        query.put("chat_instance", "");
      }
      object.elements().forEachRemaining(TelegramIngress::fillRequiredDefaults);
    } else if (node != null && node.isArray()) {
      node.elements().forEachRemaining(TelegramIngress::fillRequiredDefaults);
    }
  }

  /**
   * What an update means, or {@code null} when the body is no update at all (no {@code update_id}). An update
   * the Bot API types cannot read (a newer Telegram, odd values) or with shapes we do not expect is skipped, not
   * refused: refused, Telegram would send it again forever.
   *
   * @param json the update as received, kept with a skipped one
   * @param bytes its bytes
   */
  Mapping map(JsonObject json, Buffer bytes) {
    Update update = parse(bytes);
    if (update == null) {
      if (!(json.getValue("update_id") instanceof Number id)) {
        return null;
      }
      LOG.warn("update {} cannot be read; recorded as skipped", id);
      return TelegramMapper.skip(id.longValue(), json, "unreadable update");
    }
    try {
      return TelegramMapper.map(update, json, bot.get(), bytes.length(), Instant.now());
    } catch (RuntimeException e) {
      return TelegramMapper.skip(update.getUpdateId(), json, "could not map: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Answers the update's button press, if it is one, once the update is safely recorded: clients show a spinner
   * until the press is answered, handled or not.
   */
  void answerPress(JsonObject json) {
    if (json.getValue("callback_query") instanceof JsonObject query && query.getValue("id") instanceof String id) {
      api.answerCallbackQuery(id);
    }
  }
}
