package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Over real loopback connections: the peer is always 127.0.0.1, the headers say what a proxy would. */
class ClientAddressesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void withNoTrustedProxyThePeerIsTheClientAndARelayedRequestIsNotLocal() {
    ClientAddresses direct = ClientAddresses.DIRECT;
    assertEquals("127.0.0.1 local", ask(direct, Map.of()));
    assertEquals("127.0.0.1 remote", ask(direct, Map.of("X-Forwarded-For", "203.0.113.9")),
        "a proxy on this host relayed it: the caller is somewhere else");
    assertEquals("127.0.0.1 remote", ask(direct, Map.of("Forwarded", "for=127.0.0.1")));
    assertEquals("127.0.0.1 remote", ask(direct, Map.of("X-Real-IP", "127.0.0.1")));
  }

  @Test
  void aTrustedProxysHeadersNameTheClient() {
    ClientAddresses proxied = new ClientAddresses(List.of("127.0.0.0/8", "10.0.0.0/8"));
    assertEquals("203.0.113.9 remote", ask(proxied, Map.of("X-Forwarded-For", "203.0.113.9")));
    assertEquals("203.0.113.9 remote", ask(proxied, Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.1.2.3")),
        "the nearest address that is not one of our proxies; what the client wrote itself does not count");
    assertEquals("2001:db8::7 remote",
        ask(proxied, Map.of("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https")));
    assertEquals("127.0.0.1 local", ask(proxied, Map.of()), "the proxy host itself, calling directly");
  }

  @Test
  void entriesAreAddressesOrBlocks() {
    assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("proxy.example.com")));
    assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("10.0.0.0/33")));
    assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("300.1.1.1")));
    assertNull(AddressBlocks.literal("localhost"), "never a DNS lookup");
  }

  /** The server's view of one request: its client address and whether it is local. */
  private String ask(ClientAddresses clients, Map<String, String> headers) {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(req -> req.response().end(clients.of(req) + (clients.isLocal(req) ? " local" : " remote")))
        .listen(0, "127.0.0.1").await();
    HttpClient client = vertx.createHttpClient();
    try {
      return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
          .compose(req -> {
            headers.forEach(req::putHeader);
            return req.send();
          })
          .compose(response -> response.body())
          .await().toString();
    } finally {
      client.close().await();
      server.close().await();
    }
  }
}
