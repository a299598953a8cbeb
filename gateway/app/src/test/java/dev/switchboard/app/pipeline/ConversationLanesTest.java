package dev.switchboard.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lanes on a real event loop, with steps that take their time like storage round trips do. */
@ExtendWith(VertxExtension.class)
class ConversationLanesTest {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void eachConversationOneStepAtATimeAndNoWorkLeftBehind(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    Map<String, Integer> pending = new HashMap<>();
    Map<String, Integer> running = new HashMap<>();
    List<String> handled = new ArrayList<>();
    int[] maxParallel = {0};
    context.runOnContext(v -> {
      ConversationLanes[] lanes = new ConversationLanes[1];
      lanes[0] = new ConversationLanes(2, STEP_TIMEOUT, context, LaneOwnership.SOLE, conversation -> {
        int now = running.merge(conversation, 1, Integer::sum);
        test.verify(() -> assertEquals(1, now, "two steps of " + conversation + " at once"));
        maxParallel[0] = Math.max(maxParallel[0], running.values().stream().mapToInt(i -> i).sum());
        Promise<Boolean> step = Promise.promise();
        vertx.setTimer(1, t -> { // like a database round trip
          running.merge(conversation, -1, Integer::sum);
          int left = pending.getOrDefault(conversation, 0);
          if (left > 0) {
            pending.put(conversation, left - 1);
            handled.add(conversation);
          }
          step.complete(left > 0);
          // a message arrives for a while during the work
          if (handled.size() < 6 && conversation.equals("a")) {
            pending.merge("a", 1, Integer::sum);
            lanes[0].signal("a");
          }
        });
        return step.future();
      });
      for (String c : List.of("a", "b", "c", "d")) {
        pending.put(c, 3);
        lanes[0].signal(c);
      }
      vertx.setPeriodic(20, id -> {
        if (lanes[0].running() == 0) {
          vertx.cancelTimer(id);
          test.verify(() -> {
            assertTrue(pending.values().stream().allMatch(n -> n == 0), "left behind: " + pending);
            assertTrue(maxParallel[0] <= 2, "at most two lanes at once");
            assertEquals(3, handled.stream().filter("d"::equals).count());
          });
          test.completeNow();
        }
      });
    });
  }

  @Test
  void aLongBacklogDoesNotGrowTheStack(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    int[] left = {20_000};
    context.runOnContext(v -> {
      ConversationLanes lanes = new ConversationLanes(4, STEP_TIMEOUT, context, LaneOwnership.SOLE,
          conversation -> Future.succeededFuture(left[0]-- > 0)); // completes at once, every time
      lanes.signal("busy");
      vertx.setPeriodic(20, id -> {
        if (lanes.running() == 0) {
          vertx.cancelTimer(id);
          test.verify(() -> assertEquals(-1, left[0]));
          test.completeNow();
        }
      });
    });
  }

  @Test
  void aConversationOwnedByAnotherNodeIsLookedAtAgainLater(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<String> events = new ArrayList<>();
    LaneOwnership otherNodeFinishing = new LaneOwnership() {
      private int asked;

      @Override
      public Future<Boolean> acquire(String conversation) {
        events.add("acquire");
        return Future.succeededFuture(++asked > 1); // held elsewhere at first, free a moment later
      }

      @Override
      public void renew(String conversation) {}

      @Override
      public void release(String conversation) {
        events.add("release");
      }
    };
    context.runOnContext(v -> {
      ConversationLanes lanes = new ConversationLanes(4, STEP_TIMEOUT, context, otherNodeFinishing, c -> {
        events.add("step");
        return Future.succeededFuture(false);
      });
      lanes.signal("shared");
      vertx.setTimer(ConversationLanes.RECHECK_AFTER.toMillis() + 500, id -> {
        test.verify(() -> assertEquals(List.of("acquire", "acquire", "step", "release"), events));
        test.completeNow();
      });
    });
  }

  @Test
  void aFailingOrStuckStepFreesItsLane(Vertx vertx, VertxTestContext test) throws Exception {
    Context context = vertx.getOrCreateContext();
    List<String> steps = new ArrayList<>();
    context.runOnContext(v -> {
      ConversationLanes lanes = new ConversationLanes(1, Duration.ofMillis(200), context, LaneOwnership.SOLE, conversation -> {
        steps.add(conversation);
        return switch (conversation) {
          case "bad" -> Future.failedFuture("boom");
          case "stuck" -> Promise.<Boolean>promise().future(); // never completes
          default -> Future.succeededFuture(false);
        };
      });
      lanes.signal("stuck");
      lanes.signal("bad");
      lanes.signal("good");
      vertx.setTimer(1000, id -> {
        test.verify(() -> {
          assertEquals(List.of("stuck", "bad", "good"), steps);
          assertEquals(0, lanes.running());
        });
        test.completeNow();
      });
    });
    assertTrue(test.awaitCompletion(5, TimeUnit.SECONDS));
  }
}
