package dev.switchboard.tests;

import com.sun.net.httpserver.HttpExchange;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the fake platform servers share: answering JSON, and waiting for a matching call. */
final class FakeHttp {
  private FakeHttp() {}

  /** Answers {@code body} with {@code status}. */
  static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** The first of {@code calls} that matches, waiting up to {@code timeout} for one to arrive. */
  static JsonObject await(String what, Supplier<List<JsonObject>> calls, Predicate<JsonObject> match,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonObject call : calls.get()) {
        if (match.test(call)) {
          return call;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + what + " matched within " + timeout + "; got: " + calls.get());
  }
}
