package dev.switchboard.channels;

import java.util.List;
import java.util.Optional;

/**
 * One channel's section of the configuration ({@code channels.<name>.*}), read by its {@link ChannelProvider}.
 * Keys are relative ({@code token} for {@code channels.telegram.token}); each may come from the YAML file, from
 * {@code SWITCHBOARD_CHANNELS_<NAME>_<KEY>} or from the provider's platform alias ({@code TELEGRAM_BOT_TOKEN}).
 * A key read here is a known key; a problem reported here stops start-up with every other problem, by key.
 */
public interface ChannelConfig {

  /** A single value, stripped; empty when unset or blank. */
  Optional<String> string(String key);

  /** A list: a YAML list, or one comma-separated string (as in an environment variable). */
  List<String> strings(String key);

  /** One of {@code allowed}, or {@code defaultValue} when unset. */
  String oneOf(String key, String defaultValue, String... allowed);

  /** An optional URL with one of {@code schemes} and a host; never echoed in problems (it may hold a password). */
  Optional<String> url(String key, String... schemes);

  /** An http(s) base URL without trailing slashes, {@code defaultValue} when unset: a platform's API, or a fake. */
  String baseUrl(String key, String defaultValue);

  /** Reports a problem with {@code key}; never include a secret's value in {@code message}. */
  void problem(String key, String message);
}
