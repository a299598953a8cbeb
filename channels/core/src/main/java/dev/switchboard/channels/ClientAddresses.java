package dev.switchboard.channels;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a request comes from. The peer of the connection, unless the peer is one of the trusted proxies
 * ({@code http.trusted-proxies}): then the nearest address in {@code X-Forwarded-For} / {@code Forwarded} that is
 * not itself a trusted proxy. Nobody else's forwarding headers count, and a request relayed by a proxy that is
 * not trusted is never "local", whatever its peer address (a reverse proxy on this host makes every caller look
 * local).
 */
public final class ClientAddresses {
  /** No proxy is trusted: the peer is the client. */
  public static final ClientAddresses DIRECT = new ClientAddresses(List.of());

  private final AddressBlocks trusted;

  /**
   * @param trustedProxies IP addresses or CIDR blocks ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1})
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public ClientAddresses(List<String> trustedProxies) {
    this.trusted = AddressBlocks.parse(trustedProxies);
  }

  /** The client's address, as text. */
  public String of(HttpServerRequest request) {
    String peer = peer(request);
    if (!isTrusted(peer)) {
      return peer;
    }
    List<String> chain = forwardedChain(request);
    for (int i = chain.size() - 1; i >= 0; i--) { // from the nearest hop back: the first one we do not trust
      if (!isTrusted(chain.get(i))) {
        return chain.get(i);
      }
    }
    return chain.isEmpty() ? peer : chain.get(0);
  }

  /** Whether the client is on this machine: a loopback address, and not relayed by a proxy we do not trust. */
  public boolean isLocal(HttpServerRequest request) {
    if (relayed(request) && !isTrusted(peer(request))) {
      return false;
    }
    InetAddress client = AddressBlocks.literal(of(request));
    return client != null && client.isLoopbackAddress();
  }

  /** Whether the request carries any proxy's forwarding header. */
  static boolean relayed(HttpServerRequest request) {
    return request.headers().contains("X-Forwarded-For") || request.headers().contains("Forwarded")
        || request.headers().contains("X-Real-IP");
  }

  private boolean isTrusted(String address) {
    return trusted.contains(address);
  }

  private static String peer(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
  }

  /** The addresses the proxies added, farthest first: {@code X-Forwarded-For}, else {@code Forwarded}'s for=. */
  private static List<String> forwardedChain(HttpServerRequest request) {
    List<String> chain = new ArrayList<>();
    for (String header : request.headers().getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        chain.add(hop.strip());
      }
    }
    if (chain.isEmpty()) {
      for (String header : request.headers().getAll("Forwarded")) {
        for (String element : header.split(",")) {
          for (String pair : element.split(";")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("for")) {
              chain.add(kv[1].strip().replace("\"", "").replaceAll("^\\[|\\](:\\d+)?$", ""));
            }
          }
        }
      }
    }
    return chain;
  }
}
