package dev.switchboard.channels;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  private final List<Network> trusted;

  /** An address block: the first {@code prefix} bits of {@code address}. */
  private record Network(byte[] address, int prefix) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((candidate[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * @param trustedProxies IP addresses or CIDR blocks ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1})
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public ClientAddresses(List<String> trustedProxies) {
    List<Network> networks = new ArrayList<>();
    for (String entry : trustedProxies) {
      String[] parts = entry.strip().split("/", 2);
      byte[] address = literal(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + entry);
      }
      int prefix = address.length * 8;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("not an IP address or CIDR block: " + entry);
        }
      }
      networks.add(new Network(address, prefix));
    }
    this.trusted = List.copyOf(networks);
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
    byte[] client = literal(of(request));
    try {
      return client != null && InetAddress.getByAddress(client).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether the request carries any proxy's forwarding header. */
  static boolean relayed(HttpServerRequest request) {
    return request.headers().contains("X-Forwarded-For") || request.headers().contains("Forwarded")
        || request.headers().contains("X-Real-IP");
  }

  private boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    return bytes != null && trusted.stream().anyMatch(n -> n.contains(bytes));
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

  /** The bytes of an IP address literal, or {@code null} for anything else (never a DNS lookup). */
  static byte[] literal(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = s.contains(":") && s.matches("[0-9a-f:.%a-z0-9]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    if (ipv4) {
      for (String octet : s.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(s).getAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
