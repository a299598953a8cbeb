package dev.switchboard.channels.slack;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.Map;
import java.util.Optional;

/**
 * {@code channels.slack}: on with {@code bot-token} and either {@code signing-secret} (HTTP endpoints) or
 * {@code app-token} (Socket Mode).
 */
public final class SlackProvider implements ChannelProvider<SlackSettings> {

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public Map<String, String> environmentAliases() {
    return Map.of("bot-token", "SLACK_BOT_TOKEN", "signing-secret", "SLACK_SIGNING_SECRET",
        "app-token", "SLACK_APP_TOKEN");
  }

  @Override
  public Optional<SlackSettings> configure(ChannelConfig config) {
    Optional<String> botToken = config.string("bot-token");
    Optional<String> signingSecret = config.string("signing-secret");
    Optional<String> appToken = config.string("app-token");
    String apiBaseUrl = config.baseUrl("api-base-url", "https://slack.com/api");
    if (botToken.isEmpty() || (signingSecret.isEmpty() && appToken.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new SlackSettings(botToken.get(), signingSecret.orElse(null), appToken.orElse(null),
        apiBaseUrl));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, SlackSettings settings) {
    return new SlackChannelAdapter(context.vertx(), context.gateway(), context.leases(), settings);
  }
}
