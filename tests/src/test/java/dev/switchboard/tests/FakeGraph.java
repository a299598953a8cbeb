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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Graph API for one WhatsApp business number on loopback, answering like Meta: a {@code wamid} for each sent
 * message, 131047 (outside the 24-hour window) for one recipient, 130429 (throttled) on request, 401 for a wrong
 * token. It records every request.
 */
final class FakeGraph implements AutoCloseable {
  static final String TOKEN = "EAAtest-not-a-real-token";
  static final String APP_SECRET = "test-app-secret-not-real";
  static final String VERIFY_TOKEN = "test-verify-token";
  static final String PHONE_ID = "106540352242922";
  /** Sending to this number answers 131047. */
  static final String OUT_OF_WINDOW = "15550000001";

  private final HttpServer server;
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  final AtomicInteger throttleSends = new AtomicInteger();

  FakeGraph() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v23.0/", this::handle);
    server.start();
  }

  Map<String, String> gatewayEnv() {
    return Map.of("WHATSAPP_ACCESS_TOKEN", TOKEN, "WHATSAPP_APP_SECRET", APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN, "WHATSAPP_PHONE_NUMBER_ID", PHONE_ID,
        "SWITCHBOARD_CHANNELS_WHATSAPP_API_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/v23.0");
  }

  /** Messages sent (not mark-read calls), as their JSON bodies plus {@code _status}. */
  List<JsonObject> sent() {
    return calls.stream().filter(c -> !"read".equals(c.getString("status"))).toList();
  }

  List<JsonObject> markedRead() {
    return calls.stream().filter(c -> "read".equals(c.getString("status"))).toList();
  }

  JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    return FakeHttp.await("sent message", this::sent, match, timeout);
  }


  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int status = 200;
    JsonObject answer;
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      status = 401;
      answer = error(190, "Invalid OAuth access token");
    } else if (path.equals("/v23.0/" + PHONE_ID) && "GET".equals(exchange.getRequestMethod())) {
      answer = new JsonObject().put("id", PHONE_ID).put("display_phone_number", "15550783881");
    } else if (path.equals("/v23.0/" + PHONE_ID + "/messages")) {
      JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if ("read".equals(body.getString("status"))) {
        answer = new JsonObject().put("success", true);
      } else if (OUT_OF_WINDOW.equals(body.getString("to"))) {
        status = 400;
        answer = error(131047, "(#131047) Re-engagement message");
      } else if (throttleSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 400;
        answer = error(130429, "(#130429) Rate limit hit");
      } else {
        answer = new JsonObject().put("messaging_product", "whatsapp")
            .put("contacts", new JsonArray().add(new JsonObject().put("input", body.getString("to"))
                .put("wa_id", body.getString("to"))))
            .put("messages", new JsonArray().add(new JsonObject().put("id", "wamid.SENT" + ids.incrementAndGet())));
      }
      calls.add(body.put("_status", status));
    } else {
      status = 404;
      answer = error(100, "Unknown path");
    }
    FakeHttp.respond(exchange, status, answer);
  }

  private static JsonObject error(int code, String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", "OAuthException")
        .put("code", code).put("fbtrace_id", "Az8bWQx1yZ0"));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
