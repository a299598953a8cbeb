package dev.switchboard.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lanes on a real event loop: one drain per conversation at a time, signals during a drain not lost. */
@ExtendWith(VertxExtension.class)
class ConversationLanesTest {

  @Test
  void oneDrainPerConversationAndBoundedParallelism(Vertx vertx, VertxTestContext test) {
    Map<String, Integer> running = new HashMap<>();
    List<String> drains = new ArrayList<>();
    int[] maxParallel = {0};
    List<Promise<Void>> open = new ArrayList<>();
    vertx.runOnContext(v -> {
      ConversationLanes lanes = new ConversationLanes(2, conversation -> {
        int now = running.merge(conversation, 1, Integer::sum);
        test.verify(() -> assertEquals(1, now, "two drains of " + conversation + " at once"));
        maxParallel[0] = Math.max(maxParallel[0], running.values().stream().mapToInt(i -> i).sum());
        drains.add(conversation);
        Promise<Void> done = Promise.promise();
        open.add(done);
        return done.future().onComplete(ar -> running.merge(conversation, -1, Integer::sum));
      });
      lanes.signal("a");
      lanes.signal("a"); // while a runs: a runs again afterwards, once
      lanes.signal("a");
      lanes.signal("b");
      lanes.signal("c"); // over the limit: waits
      test.verify(() -> assertEquals(List.of("a", "b"), drains));
      finishAll(vertx, open, () -> {
        test.verify(() -> {
          assertEquals(List.of("a", "b", "a", "c"), drains);
          assertTrue(maxParallel[0] <= 2);
          assertEquals(0, lanes.running());
        });
        test.completeNow();
      });
    });
  }

  /** Completes drains one round at a time until none is left open. */
  private static void finishAll(Vertx vertx, List<Promise<Void>> open, Runnable then) {
    if (open.isEmpty()) {
      then.run();
      return;
    }
    List<Promise<Void>> round = new ArrayList<>(open);
    open.clear();
    round.forEach(Promise::complete);
    vertx.runOnContext(v -> finishAll(vertx, open, then));
  }

  @Test
  void aFailedDrainDoesNotBlockOthers(Vertx vertx, VertxTestContext test) {
    List<String> drains = new ArrayList<>();
    vertx.runOnContext(v -> {
      ConversationLanes lanes = new ConversationLanes(1, conversation -> {
        drains.add(conversation);
        return conversation.equals("bad") ? Future.failedFuture("boom") : Future.succeededFuture();
      });
      lanes.signal("bad");
      lanes.signal("good");
      test.verify(() -> assertEquals(List.of("bad", "good"), drains));
      test.completeNow();
    });
  }
}
