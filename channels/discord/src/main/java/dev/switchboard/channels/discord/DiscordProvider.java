package dev.switchboard.channels.discord;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.Map;
import java.util.Optional;

/** {@code channels.discord}: on when {@code application-id} and {@code public-key} are set. */
public final class DiscordProvider implements ChannelProvider<DiscordSettings> {

  @Override
  public String name() {
    return "discord";
  }

  @Override
  public Map<String, String> environmentAliases() {
    return Map.of("application-id", "DISCORD_APPLICATION_ID", "public-key", "DISCORD_PUBLIC_KEY",
        "bot-token", "DISCORD_BOT_TOKEN");
  }

  @Override
  public Optional<DiscordSettings> configure(ChannelConfig config) {
    Optional<String> applicationId = config.string("application-id");
    Optional<String> publicKey = config.string("public-key");
    Optional<String> botToken = config.string("bot-token");
    String apiBaseUrl = config.baseUrl("api-base-url", "https://discord.com/api/v10");
    if (applicationId.isPresent() && !applicationId.get().matches("\\d{1,20}")) {
      config.problem("application-id", "must be the application's numeric id");
    }
    if (publicKey.isPresent() && !publicKey.get().matches("[0-9a-fA-F]{64}")) {
      config.problem("public-key", "must be the application's public key: 64 hexadecimal digits");
    }
    if (applicationId.isEmpty() || publicKey.isEmpty()) {
      if (applicationId.isPresent() || publicKey.isPresent() || botToken.isPresent()) {
        config.problem(applicationId.isEmpty() ? "application-id" : "public-key",
            "required with the other Discord settings");
      }
      return Optional.empty();
    }
    return Optional.of(new DiscordSettings(applicationId.get(), publicKey.get().toLowerCase(java.util.Locale.ROOT),
        botToken.orElse(null), apiBaseUrl));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, DiscordSettings settings) {
    return new DiscordChannelAdapter(context.vertx(), context.gateway(), settings);
  }
}
