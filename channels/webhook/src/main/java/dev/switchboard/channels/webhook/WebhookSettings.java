package dev.switchboard.channels.webhook;

import java.util.List;

/**
 * The webhook channel's settings.
 *
 * @param tokens bearer tokens accepted on {@code /v1/*}; none = loopback callers only
 * @param callbackSecret the key that signs POSTs to {@code callback_url}; {@code null}: the node's kept secret
 * @param callbackAllow host names, IP addresses or CIDR blocks that a {@code callback_url} may reach although
 *     they are not public (loopback, private, link-local)
 */
public record WebhookSettings(List<String> tokens, String callbackSecret, List<String> callbackAllow) {
  public WebhookSettings {
    tokens = List.copyOf(tokens);
    callbackAllow = List.copyOf(callbackAllow);
    if (callbackSecret != null && callbackSecret.isEmpty()) {
      throw new IllegalArgumentException("a callback secret may not be empty");
    }
  }

  @Override
  public String toString() {
    return "WebhookSettings[tokens=" + tokens.size() + ", callbackSecret=****, callbackAllow=" + callbackAllow + "]";
  }
}
