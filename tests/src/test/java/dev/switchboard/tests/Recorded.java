package dev.switchboard.tests;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a fake platform to have received a matching call. */
final class Recorded {
  private Recorded() {}

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
