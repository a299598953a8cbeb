package dev.switchboard.channels.webhook;

import dev.switchboard.channels.AddressBlocks;
import dev.switchboard.channels.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a caller may point the gateway with {@code callback_url}: checked after DNS resolution, so that no name
 * leads it to this host, the private network or a cloud metadata service, unless
 * {@code channels.webhook.callback-allow} names the host, the address or its block. The address checked is the
 * address connected to (a name that resolves anew later cannot slip past: DNS rebinding).
 */
final class CallbackTargets {
  /** Addresses that are not on the public internet, beyond what {@link InetAddress} classifies. */
  private static final AddressBlocks NOT_PUBLIC = AddressBlocks.parse(List.of(
      "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
      "203.0.113.0/24", "240.0.0.0/4", "fc00::/7", "64:ff9b::/96", "2001:db8::/32"));

  private final Vertx vertx;
  private final Set<String> allowedHosts;
  private final AddressBlocks allowedBlocks;

  /** @param allow host names, IP addresses or CIDR blocks a callback may reach although they are private */
  CallbackTargets(Vertx vertx, List<String> allow) {
    this.vertx = vertx;
    this.allowedBlocks = AddressBlocks.parse(allow.stream().filter(AddressBlocks::isBlock).toList());
    this.allowedHosts = allow.stream().filter(e -> !AddressBlocks.isBlock(e))
        .map(e -> e.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The address to connect to for {@code url}; fails with {@link ApiError} (400) when its host does not
   * resolve or resolves to an address that is not public and not allowed.
   */
  Future<InetAddress> resolve(String url) {
    String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return vertx.executeBlocking(() -> {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(bare); // a literal is parsed, a name looked up
      } catch (UnknownHostException e) {
        throw ApiError.invalid("invalid_field", "callback_url's host does not resolve", "callback_url");
      }
      if (!allowedHosts.contains(bare)) {
        for (InetAddress address : addresses) {
          if (!isPublic(address) && !allowedBlocks.contains(address)) {
            throw ApiError.invalid("forbidden_callback", "callback_url must reach a public address (loopback, "
                + "private, link-local and metadata addresses are refused unless channels.webhook.callback-allow "
                + "lists them)", "callback_url");
          }
        }
      }
      return addresses[0];
    }, false);
  }

  static boolean isPublic(InetAddress address) {
    return !(address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress() || NOT_PUBLIC.contains(address));
  }
}
