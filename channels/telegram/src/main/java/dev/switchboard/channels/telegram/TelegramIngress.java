package dev.switchboard.channels.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channels.InboundGateway;
import io.vertx.core.Future;
import dev.switchboard.spi.MessageId;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * One update, from either mode, into the gateway: parse, map, record durably, answer a button press. The
 * future completes once the update may be confirmed to Telegram (recorded, or deliberately skipped); it fails
 * when recording failed, so the update is fetched or delivered again.
 */
final class TelegramIngress {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramIngress.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final InboundGateway gateway;
  private final TelegramApiClient api;
  private final Supplier<TelegramMapper.BotIdentity> bot;

  TelegramIngress(InboundGateway gateway, TelegramApiClient api, Supplier<TelegramMapper.BotIdentity> bot) {
    this.gateway = gateway;
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
   * Records an update the Bot API types cannot read (a newer Telegram, odd values) as skipped, so it is
   * acknowledged rather than redelivered forever. Never fails.
   */
  Future<Void> acceptUnreadable(long updateId, JsonObject raw) {
    LOG.warn("update {} cannot be read; recorded as skipped", updateId);
    return gateway.recordSkipped(TelegramMapper.CHANNEL, new MessageId("update:" + updateId), raw,
            "unreadable update")
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /**
   * Accepts one update.
   *
   * @param raw the update as received, kept for the record when it is skipped
   */
  Future<Void> accept(Update update, JsonObject raw, int rawSize) {
    TelegramMapper.Result result;
    try {
      result = TelegramMapper.map(update, bot.get(), rawSize, Instant.now());
    } catch (RuntimeException e) { // a valid update with shapes we do not expect is skipped, not retried forever
      result = new TelegramMapper.Skip("could not map: " + e.getClass().getSimpleName());
    }
    if (result instanceof TelegramMapper.Skip skip) {
      LOG.debug("update {} skipped: {}", update.getUpdateId(), skip.reason());
      if (skip.callbackQueryId() != null) {
        api.answerCallbackQuery(skip.callbackQueryId());
      }
      // for the record only: an update we cannot store is still acknowledged, or Telegram would resend it forever
      return gateway.recordSkipped(TelegramMapper.CHANNEL, new MessageId("update:" + update.getUpdateId()), raw,
              skip.reason())
          .<Void>mapEmpty()
          .recover(e -> {
            LOG.warn("skipped update {} not recorded: {}", update.getUpdateId(), e.toString());
            return Future.succeededFuture();
          });
    }
    TelegramMapper.Handle handle = (TelegramMapper.Handle) result;
    return gateway.admit(handle.envelope(), handle.replyAddress()).map(admission -> {
      if (handle.callbackQueryId() != null) {
        // clients show a spinner until the press is answered: answer once it is safely recorded, every time
        api.answerCallbackQuery(handle.callbackQueryId());
      }
      return null;
    });
  }
}
