package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import java.util.Map;
import java.util.Optional;

/**
 * {@code channels.whatsapp} (Cloud API): on when {@code access-token}, {@code app-secret}, {@code verify-token}
 * and {@code phone-number-id} are all set.
 */
public final class WhatsAppProvider implements ChannelProvider<WhatsAppSettings> {

  @Override
  public String name() {
    return "whatsapp";
  }

  @Override
  public Map<String, String> environmentAliases() {
    return Map.of("access-token", "WHATSAPP_ACCESS_TOKEN", "app-secret", "WHATSAPP_APP_SECRET",
        "verify-token", "WHATSAPP_VERIFY_TOKEN", "phone-number-id", "WHATSAPP_PHONE_NUMBER_ID");
  }

  @Override
  public Optional<WhatsAppSettings> configure(ChannelConfig config) {
    Optional<String> accessToken = config.string("access-token");
    Optional<String> appSecret = config.string("app-secret");
    Optional<String> verifyToken = config.string("verify-token");
    Optional<String> phoneNumberId = config.string("phone-number-id");
    String apiBaseUrl = config.baseUrl("api-base-url", "https://graph.facebook.com/v23.0");
    if (accessToken.isEmpty() || appSecret.isEmpty() || verifyToken.isEmpty() || phoneNumberId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new WhatsAppSettings(accessToken.get(), appSecret.get(), verifyToken.get(),
        phoneNumberId.get(), apiBaseUrl));
  }

  @Override
  public ChannelAdapter create(ChannelContext context, WhatsAppSettings settings) {
    return new WhatsAppChannelAdapter(context.vertx(), context.gateway(), settings);
  }
}
