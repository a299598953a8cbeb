package dev.switchboard.channels.webhook;

import dev.switchboard.channels.AddressBlocks;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.List;
import java.util.Optional;

/** {@code channels.webhook}: always on; {@code tokens}, {@code callback-secret} and {@code callback-allow} optional. */
public final class WebhookProvider implements ChannelProvider<WebhookSettings> {

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public Optional<WebhookSettings> configure(ChannelConfig config) {
    List<String> allow = config.strings("callback-allow");
    for (String entry : allow) {
      if (!AddressBlocks.isBlock(entry) && !entry.strip().matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
        config.problem("callback-allow", "must list host names, IP addresses or CIDR blocks (got \"" + entry + "\")");
        allow = List.of();
        break;
      }
    }
    return Optional.of(new WebhookSettings(config.strings("tokens"), config.string("callback-secret").orElse(null),
        allow));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, WebhookSettings settings) {
    String secret = settings.callbackSecret() != null ? settings.callbackSecret() : context.keptSecret();
    return new WebhookChannelAdapter(context.vertx(), context.gateway(),
        new WebhookSettings(settings.tokens(), secret, settings.callbackAllow()), context.clients(), context.jwt());
  }
}
