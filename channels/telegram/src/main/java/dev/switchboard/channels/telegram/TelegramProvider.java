package dev.switchboard.channels.telegram;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.Map;
import java.util.Optional;

/** {@code channels.telegram}: on when {@code token} is set; long polling unless {@code mode: webhook}. */
public final class TelegramProvider implements ChannelProvider<TelegramSettings> {

  @Override
  public String name() {
    return "telegram";
  }

  @Override
  public Map<String, String> environmentAliases() {
    return Map.of("token", "TELEGRAM_BOT_TOKEN");
  }

  @Override
  public Optional<TelegramSettings> configure(ChannelConfig config) {
    Optional<String> token = config.string("token");
    String mode = config.oneOf("mode", "polling", "polling", "webhook");
    Optional<String> webhookUrl = config.url("webhook-url", "https", "http");
    Optional<String> secret = config.string("webhook-secret");
    String apiBaseUrl = config.baseUrl("api-base-url", "https://api.telegram.org");
    if (secret.isPresent() && !secret.get().matches("[A-Za-z0-9_-]{1,256}")) {
      config.problem("webhook-secret", "must be 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule)");
    }
    if (token.isEmpty()) {
      return Optional.empty();
    }
    if ("webhook".equals(mode) && secret.isEmpty()) {
      config.problem("webhook-secret", "required in webhook mode, or anyone could post updates");
    }
    return Optional.of(new TelegramSettings(token.get(), mode, webhookUrl.orElse(null), secret.orElse(null),
        apiBaseUrl));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, TelegramSettings settings) {
    return new TelegramChannelAdapter(context.vertx(), context.gateway(), context.leases(), settings);
  }
}
