package dev.switchboard.channels;

import java.util.Map;
import java.util.Optional;

/**
 * A channel the gateway can run, found with {@link java.util.ServiceLoader} (listed in the channel module's
 * {@code META-INF/services/dev.switchboard.channels.ChannelProvider}). It owns its configuration section, how that
 * is checked, its platform's environment variables and, through its adapter, its banner line: adding a key or a
 * channel touches the channel's module only.
 *
 * @param <S> the channel's settings, as read from its section
 */
public interface ChannelProvider<S> {

  /** The channel's name: its section is {@code channels.<name>}. Lower case letters. */
  String name();

  /**
   * The platform's own environment variables, by relative key ({@code token} → {@code TELEGRAM_BOT_TOKEN}), read
   * when {@code SWITCHBOARD_CHANNELS_<NAME>_<KEY>} is not set.
   */
  default Map<String, String> environmentAliases() {
    return Map.of();
  }

  /**
   * Reads and checks the section: every key, even when the channel stays off, so that a typo is reported.
   * Answers the settings, or empty when the channel is not configured (off).
   */
  Optional<S> configure(ChannelConfig config);

  /** The channel's adapter for these settings; nothing runs until the gateway starts it. */
  ChannelAdapter create(ChannelContext context, S settings);

  /** A provider with the settings it read: what the gateway deploys. */
  record Configured<S>(ChannelProvider<S> provider, S settings) {

    public ChannelAdapter create(ChannelContext context) {
      return provider.create(context, settings);
    }

    /** The settings when this is the channel named {@code name} with settings of {@code type}, else empty. */
    public <T> Optional<T> settings(String name, Class<T> type) {
      return provider.name().equals(name) && type.isInstance(settings) ? Optional.of(type.cast(settings))
          : Optional.empty();
    }
  }
}
