package dev.switchboard.channels.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channels.InboundGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
      Update update = JSON.readValue(raw.getBytes(), Update.class);
      return update.getUpdateId() == null ? null : update;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  Future<Void> accept(Update update, int rawSize) {
    TelegramMapper.Result result;
    try {
      result = TelegramMapper.map(update, bot.get(), rawSize, Instant.now());
    } catch (RuntimeException e) { // a valid update with shapes we do not expect is skipped, not retried forever
      result = new TelegramMapper.Skip("could not map: " + e.getClass().getSimpleName());
    }
    if (result instanceof TelegramMapper.Skip skip) {
      LOG.debug("update {} skipped: {}", update.getUpdateId(), skip.reason());
      return Future.succeededFuture();
    }
    TelegramMapper.Handle handle = (TelegramMapper.Handle) result;
    return gateway.admit(handle.envelope(), handle.replyAddress()).compose(admission -> {
      if (handle.callbackQueryId() != null && !admission.duplicate()) {
        // clients show a spinner until the press is answered; answer once it is safely recorded
        api.answerCallbackQuery(handle.callbackQueryId());
      }
      return Future.<Void>succeededFuture();
    });
  }
}
