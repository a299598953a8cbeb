package dev.switchboard.tests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} on loopback. It answers "echo: <last user message>",
 * or, on request, 429 (with OpenAI's error body and {@code Retry-After}), 503, or nothing for a while (to
 * trip the caller's timeout). It records every request body with its {@code Authorization} header.
 */
final class FakeOpenAi implements AutoCloseable {
  static final String API_KEY = "sk-test-not-a-real-key";

  private final HttpServer server;
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger rateLimited = new AtomicInteger();
  final AtomicInteger failing = new AtomicInteger();
  final AtomicInteger slow = new AtomicInteger();
  /** Answers with a NUL character inside the text (which PostgreSQL cannot store). */
  final AtomicInteger withNul = new AtomicInteger();
  /** Answers with a 5 MB body. */
  final AtomicInteger huge = new AtomicInteger();

  FakeOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  /** The base URL to configure ({@code inference.llm.base-url}). */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  List<JsonObject> calls() {
    return calls;
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    calls.add(body.copy().put("_authorization", exchange.getRequestHeaders().getFirst("Authorization")));
    if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      FakeHttp.respond(exchange, 401, error("Incorrect API key provided", "invalid_api_key"));
    } else if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      exchange.getResponseHeaders().add("Retry-After", "20");
      FakeHttp.respond(exchange, 429, error("Rate limit reached for requests", "rate_limit_exceeded"));
    } else if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      FakeHttp.respond(exchange, 503, error("The server is overloaded", "server_error"));
    } else if (slow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    } else if (huge.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      byte[] big = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
          + "x".repeat(5_000_000) + "\"}}]}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse up front
      try (var out = exchange.getResponseBody()) {
        out.write(big);
      } catch (IOException closedByTheCaller) {
        // expected: the gateway stops reading after 1 MiB
      }
    } else {
      JsonArray messages = body.getJsonArray("messages");
      String last = messages.getJsonObject(messages.size() - 1).getString("content");
      if (withNul.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        last = last + "\u0000!";
      }
      FakeHttp.respond(exchange, 200, new JsonObject()
          .put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000)
          .put("model", body.getString("model"))
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("message", new JsonObject().put("role", "assistant").put("content", "echo: " + last))))
          .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 3)
              .put("total_tokens", 13)));
    }
  }

  private static JsonObject error(String message, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", "requests")
        .put("param", (String) null).put("code", code));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
