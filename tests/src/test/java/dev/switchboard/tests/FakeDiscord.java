package dev.switchboard.tests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Discord on loopback: the application's Ed25519 key pair (made for the test) that signs interactions, and the
 * REST routes that answer them: editing the original response, follow-ups and channel messages, with a 429 and
 * its {@code retry_after} on demand.
 */
final class FakeDiscord implements AutoCloseable {
  static final String APPLICATION_ID = "100000000000000001";
  static final String BOT_TOKEN = "test-discord-bot-token-not-real";

  private final HttpServer server;
  private final KeyPair application;
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger(1000);
  /** The next this many calls are answered 429 with {@code retry_after} 1.5 s. */
  final AtomicInteger rateLimitNext = new AtomicInteger();

  FakeDiscord() throws Exception {
    application = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v10/", this::handle);
    server.start();
  }

  /** The application's public key as the Developer Portal shows it: 64 hex digits (the raw 32 bytes). */
  String publicKeyHex() {
    byte[] x509 = application.getPublic().getEncoded();
    return HexFormat.of().formatHex(x509, x509.length - 32, x509.length);
  }

  Map<String, String> gatewayEnv() {
    return Map.of("DISCORD_APPLICATION_ID", APPLICATION_ID, "DISCORD_PUBLIC_KEY", publicKeyHex(),
        "DISCORD_BOT_TOKEN", BOT_TOKEN,
        "SWITCHBOARD_CHANNELS_DISCORD_API_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v10");
  }

  /** The headers Discord sends with {@code body}, signed with this application's key (or {@code with}'s). */
  static Map<String, String> signed(KeyPair with, String body) throws Exception {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(with.getPrivate());
    signer.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
    return Map.of("Content-Type", "application/json", "X-Signature-Timestamp", timestamp,
        "X-Signature-Ed25519", HexFormat.of().formatHex(signer.sign()));
  }

  Map<String, String> signed(String body) throws Exception {
    return signed(application, body);
  }

  /** Calls by kind: {@code edit} (the original response), {@code followup}, {@code channel}. */
  List<JsonObject> calls(String kind) {
    return calls.stream().filter(c -> kind.equals(c.getString("_kind"))).toList();
  }

  JsonObject await(String kind, Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    return FakeHttp.await(kind + " call", () -> calls(kind), match, timeout);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring("/api/v10".length());
    String method = exchange.getRequestMethod();
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject body = raw.isBlank() ? new JsonObject() : new JsonObject(raw);
    String webhook = "/webhooks/" + APPLICATION_ID + "/";
    String kind;
    String token = null;
    if (path.startsWith(webhook) && path.endsWith("/messages/@original") && "PATCH".equals(method)) {
      kind = "edit";
      token = path.substring(webhook.length(), path.length() - "/messages/@original".length());
    } else if (path.startsWith(webhook) && "POST".equals(method)) {
      kind = "followup";
      token = path.substring(webhook.length());
    } else if (path.startsWith("/channels/") && path.endsWith("/messages") && "POST".equals(method)) {
      kind = ("Bot " + BOT_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization")) ? "channel"
          : "unauthorized";
    } else {
      kind = "unknown";
    }
    int status;
    JsonObject answer;
    if (kind.equals("unknown") || kind.equals("unauthorized")) {
      status = kind.equals("unknown") ? 404 : 401;
      answer = new JsonObject().put("message", "404: Not Found").put("code", 0);
    } else if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = 429;
      exchange.getResponseHeaders().set("Retry-After", "2");
      answer = new JsonObject().put("message", "You are being rate limited.").put("retry_after", 1.5)
          .put("global", false);
    } else {
      status = 200;
      answer = new JsonObject().put("id", Integer.toString(ids.incrementAndGet())).put("content",
          body.getString("content"));
    }
    calls.add(body.copy().put("_kind", kind).put("_token", token).put("_status", status)
        .put("_at", System.nanoTime()));
    FakeHttp.respond(exchange, status, answer);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
