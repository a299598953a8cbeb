package dev.switchboard.tests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Slack Web API on loopback that answers like Slack: {@code auth.test}, {@code chat.postMessage} (with
 * {@code ts}), {@code invalid_auth} for a wrong token, 429 with {@code Retry-After} and {@code ok:false}
 * errors on request. It records every call.
 */
final class FakeSlack implements AutoCloseable {
  static final String BOT_TOKEN = "xoxb-test-not-a-real-token";
  /** The official request-signing test vector's secret. */
  static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String BOT_USER = "U0LAN0Z89";
  /** chat.postMessage to this channel answers {@code ok:false, channel_not_found}. */
  static final String MISSING_CHANNEL = "C0MISSING";

  private final HttpServer server;
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger ts = new AtomicInteger(100);
  final AtomicInteger rateLimitPosts = new AtomicInteger();

  static final String APP_TOKEN = "xapp-test-not-a-real-token";
  private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
  private final io.vertx.core.http.HttpServer sockets;
  /** Frames the gateway sent over Socket Mode (acks), as JSON. */
  final List<JsonObject> socketFrames = new CopyOnWriteArrayList<>();
  private volatile io.vertx.core.http.ServerWebSocket socket;
  final AtomicInteger socketsOpened = new AtomicInteger();

  FakeSlack() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/", this::handle);
    server.start();
    sockets = vertx.createHttpServer().webSocketHandler(ws -> {
      socket = ws;
      socketsOpened.incrementAndGet();
      ws.textMessageHandler(text -> socketFrames.add(new JsonObject(text)));
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("num_connections", 1).encode());
    }).listen(0, "127.0.0.1").await();
  }

  /** Sends a frame to the gateway over the current Socket Mode connection. */
  void sendFrame(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  boolean socketOpen() {
    return socket != null && !socket.isClosed();
  }

  Map<String, String> gatewayEnv() {
    return Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_SIGNING_SECRET", SIGNING_SECRET,
        "SWITCHBOARD_CHANNELS_SLACK_API_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/api");
  }

  List<JsonObject> calls(String method) {
    return calls.stream().filter(c -> method.equals(c.getString("_method"))).toList();
  }

  JsonObject await(String method, Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    return FakeHttp.await(method + " call", () -> calls(method), match, timeout);
  }


  /** A response_url of this fake, as Slack hands one to each slash command. */
  String responseUrl(String id) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/response/" + id;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    if (method.startsWith("response/")) { // response_url: no token, plain "ok"
      String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      calls.add(new JsonObject(raw).put("_method", "response_url").put("_id", method.substring(9)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject body = raw.isBlank() ? new JsonObject() : new JsonObject(raw);
    int status = 200;
    JsonObject answer;
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if ("apps.connections.open".equals(method)) {
      answer = ("Bearer " + APP_TOKEN).equals(authorization)
          ? new JsonObject().put("ok", true).put("url", "ws://127.0.0.1:" + sockets.actualPort() + "/link")
          : new JsonObject().put("ok", false).put("error", "invalid_auth");
    } else if (!("Bearer " + BOT_TOKEN).equals(authorization)) {
      answer = new JsonObject().put("ok", false).put("error", "invalid_auth");
    } else if ("auth.test".equals(method)) {
      answer = new JsonObject().put("ok", true).put("user_id", BOT_USER).put("bot_id", "B0TEST").put("team_id", "T1");
    } else if ("chat.postMessage".equals(method)) {
      if (MISSING_CHANNEL.equals(body.getString("channel"))) {
        answer = new JsonObject().put("ok", false).put("error", "channel_not_found");
      } else if (rateLimitPosts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 429;
        exchange.getResponseHeaders().set("Retry-After", "1");
        answer = new JsonObject().put("ok", false).put("error", "ratelimited");
      } else {
        answer = new JsonObject().put("ok", true).put("channel", body.getString("channel"))
            .put("ts", "1700000000." + String.format("%06d", ts.incrementAndGet()));
      }
    } else {
      answer = new JsonObject().put("ok", false).put("error", "unknown_method");
    }
    calls.add(body.copy().put("_method", method).put("_status", status));
    FakeHttp.respond(exchange, status, answer);
  }

  @Override
  public void close() {
    server.stop(0);
    vertx.close().await();
  }
}
