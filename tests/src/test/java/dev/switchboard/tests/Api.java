package dev.switchboard.tests;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small client for the gateway's HTTP API, as a script would use it. */
final class Api {
  /** What the chat fallback answers when no language model is configured. */
  static final String FALLBACK_REPLY = "Sorry, I didn't understand that, and no language model is configured for "
      + "free chat. Send /help to see what I can do.";

  /** One answer: status, headers and body. */
  record Answer(int status, JsonObject json, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The first reply's text. */
    String replyText() {
      return json.getJsonArray("replies").getJsonObject(0).getString("text");
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final GatewayProcess gateway;

  Api(GatewayProcess gateway) {
    this.gateway = gateway;
  }

  /** POST /v1/messages with {@code sender.id = sender} and {@code text}; waits for the reply. */
  Answer send(String sender, String text) throws Exception {
    return post("/v1/messages", new JsonObject().put("sender", new JsonObject().put("id", sender)).put("text", text));
  }

  Answer post(String path, JsonObject body) throws Exception {
    return post(path, body.encode(), Map.of());
  }

  Answer post(String path, String body, Map<String, String> headers) throws Exception {
    return postAsync(path, body, headers).get();
  }

  CompletableFuture<Answer> postAsync(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach((k, v) -> {
      if (!v.isEmpty()) {
        request.header(k, v);
      }
    });
    if (!headers.containsKey("Authorization")) {
      asAdmin(path, request);
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer);
  }

  Answer get(String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(60));
    asAdmin(path, request);
    return answer(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * The admin API and the metrics need the admin token (the one the gateway generated in its data folder), and
   * readiness shows its reasons only with it.
   */
  private void asAdmin(String path, HttpRequest.Builder request) {
    if (path.startsWith("/admin") || path.startsWith("/metrics") || path.startsWith("/health/ready")) {
      request.header("Authorization", "Bearer " + gateway.adminToken());
    }
  }

  Answer send(HttpRequest request) throws Exception {
    return answer(client.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  URI uri(String path) {
    return gateway.uri(path);
  }

  private static Answer answer(HttpResponse<String> response) {
    String body = response.body();
    JsonObject json = body == null || body.isEmpty() || !body.startsWith("{") ? null : new JsonObject(body);
    return new Answer(response.statusCode(), json, response);
  }
}
