package dev.switchboard.channels.webhook;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.Optional;

/** {@code channels.webhook}: always on; {@code tokens} and {@code callback-secret} are optional. */
public final class WebhookProvider implements ChannelProvider<WebhookSettings> {

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public Optional<WebhookSettings> configure(ChannelConfig config) {
    return Optional.of(new WebhookSettings(config.strings("tokens"), config.string("callback-secret").orElse(null)));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, WebhookSettings settings) {
    String secret = settings.callbackSecret() != null ? settings.callbackSecret() : context.keptSecret();
    return new WebhookChannelAdapter(context.vertx(), context.gateway(),
        new WebhookSettings(settings.tokens(), secret), context.clients());
  }
}
