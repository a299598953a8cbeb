package dev.switchboard.tests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Bot API server on loopback that answers like Telegram: getMe, deleteWebhook, setWebhook, getUpdates (long
 * polling with offset confirmation), sendMessage, answerCallbackQuery; 401 for a wrong token, 429 with
 * {@code retry_after} and 409 on request. It records every call.
 */
final class FakeTelegram implements AutoCloseable {
  static final String TOKEN = "123456:TEST-not-a-real-token";
  static final long BOT_ID = 7000000001L;
  static final String BOT_USERNAME = "ExampleGatewayBot";
  /** sendMessage to this chat answers 400 "chat not found". */
  static final long UNKNOWN_CHAT = 404404404L;

  private final HttpServer server;
  private final List<JsonObject> queued = new ArrayList<>(); // guarded by itself
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextUpdateId = new AtomicInteger(500_000);
  private final AtomicInteger nextMessageId = new AtomicInteger(9000);
  /** How many of the next sendMessage calls answer 429. */
  final AtomicInteger rateLimitSends = new AtomicInteger();
  /** getUpdates calls answered 409 because another one was running (two pollers on one token). */
  final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicInteger pollsInFlight = new AtomicInteger();
  /** While set, every getUpdates answers 409, as when some other program polls this token. */
  final java.util.concurrent.atomic.AtomicBoolean otherPoller = new java.util.concurrent.atomic.AtomicBoolean();

  FakeTelegram() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** What a gateway needs to talk to this fake instead of Telegram. */
  java.util.Map<String, String> gatewayEnv() {
    return java.util.Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "SWITCHBOARD_CHANNELS_TELEGRAM_API_BASE_URL", baseUrl());
  }

  /** Queues an update (an {@code update_id} is added) and answers its id. */
  int push(JsonObject update) {
    int id = nextUpdateId.incrementAndGet();
    synchronized (queued) {
      queued.add(update.copy().put("update_id", id));
      queued.notifyAll();
    }
    return id;
  }

  /** Every call so far to {@code method}, as its JSON body plus {@code _method} and the {@code _status} answered. */
  List<JsonObject> calls(String method) {
    return calls.stream().filter(c -> method.equals(c.getString("_method"))).toList();
  }

  /** Waits until a call to {@code method} matches; fails after {@code timeout}. */
  JsonObject await(String method, Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    return FakeHttp.await(method + " call", () -> calls(method), match, timeout);
  }


  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String prefix = "/bot" + TOKEN + "/";
    if (!path.startsWith(prefix)) {
      FakeHttp.respond(exchange, 401,
          new JsonObject().put("ok", false).put("error_code", 401).put("description", "Unauthorized"));
      return;
    }
    String method = path.substring(prefix.length());
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject body = raw.isBlank() ? new JsonObject() : new JsonObject(raw);
    int status = 200;
    JsonObject answer;
    switch (method) {
      case "getMe" -> answer = ok(new JsonObject().put("id", BOT_ID).put("is_bot", true)
          .put("first_name", "Example").put("username", BOT_USERNAME));
      case "deleteWebhook", "setWebhook", "answerCallbackQuery" -> answer = ok(true);
      case "getUpdates" -> {
        if (pollsInFlight.incrementAndGet() > 1 || otherPoller.get()) {
          if (!otherPoller.get()) {
            conflicts.incrementAndGet();
          }
          status = 409;
          answer = new JsonObject().put("ok", false).put("error_code", 409).put("description",
              "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        } else {
          answer = ok(updates(body.getLong("offset", 0L), body.getInteger("timeout", 0)));
        }
        pollsInFlight.decrementAndGet();
      }
      case "sendMessage" -> {
        if (UNKNOWN_CHAT == body.getLong("chat_id", 0L)) {
          status = 400;
          answer = new JsonObject().put("ok", false).put("error_code", 400)
              .put("description", "Bad Request: chat not found");
        } else if (rateLimitSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          status = 429;
          answer = new JsonObject().put("ok", false).put("error_code", 429)
              .put("description", "Too Many Requests: retry after 1")
              .put("parameters", new JsonObject().put("retry_after", 1));
        } else {
          answer = ok(new JsonObject().put("message_id", nextMessageId.incrementAndGet())
              .put("chat", new JsonObject().put("id", body.getValue("chat_id"))).put("text", body.getString("text")));
        }
      }
      default -> {
        status = 404;
        answer = new JsonObject().put("ok", false).put("error_code", 404).put("description", "Not Found");
      }
    }
    calls.add(body.copy().put("_method", method).put("_status", status));
    FakeHttp.respond(exchange, status, answer);
  }

  /** Forgets what the offset confirms, then answers what is left, waiting up to the poll timeout for some. */
  private JsonArray updates(long offset, int timeoutSeconds) {
    long deadline = System.nanoTime() + Duration.ofSeconds(Math.min(timeoutSeconds, 2)).toNanos();
    synchronized (queued) {
      queued.removeIf(u -> u.getLong("update_id") < offset);
      while (queued.isEmpty() && System.nanoTime() < deadline) {
        try {
          queued.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      JsonArray result = new JsonArray();
      queued.stream().limit(100).forEach(result::add);
      return result;
    }
  }

  private static JsonObject ok(Object result) {
    return new JsonObject().put("ok", true).put("result", result);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
