package dev.switchboard.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lanes on a real event loop, with turns that take their time like storage round trips do. */
@ExtendWith(VertxExtension.class)
class ConversationLanesTest {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

  static PendingMessage message(String conversation, long seq, int shard) {
    Envelope envelope = new Envelope(new MessageId("m" + seq), ChannelId.WEBHOOK,
        new ConversationKey(ChannelId.WEBHOOK, conversation), new Sender(conversation, null),
        new Content.Text("hello " + seq), null, null, Instant.now(), 10);
    return new PendingMessage(seq, envelope, new JsonObject(), DeliveryPolicy.DELIVER, shard);
  }

  private static ConversationLanes lanes(int maxRunning, Context context,
      Function<PendingMessage, Future<CommitResult>> step, List<Long> letGo, LongConsumer onRoom) {
    return new ConversationLanes(maxRunning, STEP_TIMEOUT, context, step, m -> letGo.add(m.seq()), onRoom,
        shard -> { });
  }

  /** A turn that answers {@code result} after a millisecond, like a commit's round trip. */
  private static Future<CommitResult> later(Vertx vertx, CommitResult result) {
    Promise<CommitResult> done = Promise.promise();
    vertx.setTimer(1, t -> done.complete(result));
    return done.future();
  }

  @Test
  void aTurnBehindAnOlderWaitingMessageRunsAgainAfterIt(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<String> attempts = new ArrayList<>();
    context.runOnContext(v -> {
      ConversationLanes[] lanes = new ConversationLanes[1];
      lanes[0] = new ConversationLanes(4, STEP_TIMEOUT, context, m -> {
        attempts.add(m.seq() + (m.seq() == 45 && attempts.isEmpty() ? " behind" : ""));
        // PostgreSQL refuses 45's first commit: 44 (whose hand-off was lost) still waits in the log
        return later(vertx, attempts.size() == 1 ? CommitResult.BEHIND : CommitResult.OK);
      }, m -> { }, from -> { }, shard -> vertx.setTimer(20, t -> { // the read-back finds 44
        test.verify(() -> assertEquals(List.of("45 behind"), attempts, "45 waits for the read-back"));
        lanes[0].offer(message("lost", 44, shard));
      }));
      lanes[0].offer(message("lost", 45, 3));
      vertx.setTimer(300, t -> test.verify(() -> {
        assertEquals(List.of("45 behind", "44", "45"), attempts, "well before the wait's end: 44 came");
        test.completeNow();
      }));
    });
  }

  @Test
  void aTurnBehindTriesAgainAfterAWhileWhenNoOlderMessageComes(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<Long> attempts = new ArrayList<>();
    long started = System.nanoTime();
    context.runOnContext(v -> {
      ConversationLanes lanes = lanes(4, context, m -> {
        attempts.add(System.nanoTime() - started);
        // the older message was handled by the node that recorded it, or no room: nothing is read back
        return later(vertx, attempts.size() == 1 ? CommitResult.BEHIND : CommitResult.OK);
      }, new ArrayList<>(), from -> { });
      lanes.offer(message("alone", 45, 3));
      vertx.setTimer(ConversationLanes.BEHIND_WAIT.toMillis() + 500, t -> test.verify(() -> {
        assertEquals(2, attempts.size(), "tried again, once");
        assertTrue(attempts.get(1) - attempts.get(0) >= ConversationLanes.BEHIND_WAIT.toNanos() - 50_000_000L,
            "after the wait");
        test.completeNow();
      }));
    });
  }

  @Test
  void eachConversationInOrderOneAtATimeConversationsInParallelUpToTheLimit(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    Map<String, List<Long>> handled = new HashMap<>();
    Map<String, Integer> running = new HashMap<>();
    AtomicInteger maxParallel = new AtomicInteger();
    context.runOnContext(v -> {
      ConversationLanes lanes = lanes(3, context, m -> {
        String conversation = m.envelope().conversation().id();
        int now = running.merge(conversation, 1, Integer::sum);
        test.verify(() -> assertEquals(1, now, "two turns of " + conversation + " at once"));
        maxParallel.accumulateAndGet(running.values().stream().mapToInt(i -> i).sum(), Math::max);
        return later(vertx, CommitResult.OK).onComplete(ar -> {
          running.merge(conversation, -1, Integer::sum);
          handled.computeIfAbsent(conversation, c -> new ArrayList<>()).add(m.seq());
        });
      }, new ArrayList<>(), from -> { });
      long seq = 100;
      // while a turn runs, later messages are offered out of order (two admissions committed in another
      // order, or a sweep): they wait in log order
      for (String c : List.of("a", "b", "c", "d", "e")) {
        lanes.offer(message(c, seq, 1));
        lanes.offer(message(c, seq + 2, 1));
        lanes.offer(message(c, seq + 1, 1));
        lanes.offer(message(c, seq + 3, 1));
        seq += 10;
      }
      vertx.setPeriodic(10, id -> {
        if (lanes.queued() == 0 && lanes.running() == 0) {
          vertx.cancelTimer(id);
          test.verify(() -> {
            assertEquals(List.of(100L, 101L, 102L, 103L), handled.get("a"));
            assertEquals(List.of(140L, 141L, 142L, 143L), handled.get("e"));
            assertEquals(5, handled.size());
            assertEquals(3, maxParallel.get(), "the limit on turns at once is used and kept");
          });
          test.completeNow();
        }
      });
    });
  }

  @Test
  void aMessageOfferedTwiceIsHandledOnce(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<Long> handled = new ArrayList<>();
    context.runOnContext(v -> {
      ConversationLanes lanes = lanes(4, context, m -> {
        handled.add(m.seq());
        return later(vertx, CommitResult.OK);
      }, new ArrayList<>(), from -> { });
      lanes.offer(message("a", 1, 0));
      lanes.offer(message("a", 1, 0)); // the sweep read it while it was queued
      vertx.setTimer(30, t -> {
        lanes.offer(message("a", 1, 0)); // the sweep read it just before its commit
        vertx.setTimer(30, t2 -> {
          test.verify(() -> assertEquals(List.of(1L), handled));
          test.completeNow();
        });
      });
    });
  }

  @Test
  void aConflictRunsTheSameMessageAgainAndAFailureRetriesLater(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<String> attempts = new ArrayList<>();
    context.runOnContext(v -> {
      AtomicInteger calls = new AtomicInteger();
      ConversationLanes lanes = lanes(4, context, m -> {
        attempts.add(m.seq() + "@" + System.nanoTime() / 1_000_000);
        return switch (calls.incrementAndGet()) {
          case 1 -> later(vertx, CommitResult.CONFLICT); // the session moved: read it again, same message
          case 2 -> Future.failedFuture(new IllegalStateException("PostgreSQL hiccup"));
          default -> later(vertx, CommitResult.OK);
        };
      }, new ArrayList<>(), from -> { });
      long started = System.nanoTime();
      lanes.offer(message("a", 7, 0));
      lanes.offer(message("a", 8, 0));
      vertx.setPeriodic(20, id -> {
        if (lanes.queued() == 0 && lanes.running() == 0) {
          vertx.cancelTimer(id);
          test.verify(() -> {
            assertEquals(4, attempts.size(), attempts.toString());
            assertTrue(attempts.get(0).startsWith("7@") && attempts.get(1).startsWith("7@")
                && attempts.get(2).startsWith("7@") && attempts.get(3).startsWith("8@"), attempts.toString());
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waited >= ConversationLanes.RETRY_AFTER.toMillis(), "a failure waits before retrying");
          });
          test.completeNow();
        }
      });
    });
  }

  @Test
  void droppedShardsForgetWhatIsQueuedAndTheRunningTurnFinishes(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<Long> handled = new ArrayList<>();
    List<Long> letGo = new ArrayList<>();
    context.runOnContext(v -> {
      Promise<CommitResult> first = Promise.promise();
      ConversationLanes lanes = lanes(4, context, m -> {
        handled.add(m.seq());
        return m.seq() == 1 ? first.future() : later(vertx, CommitResult.OK);
      }, letGo, from -> { });
      lanes.offer(message("a", 1, 5));
      lanes.offer(message("a", 2, 5));
      lanes.offer(message("b", 3, 6));
      vertx.setTimer(20, t -> {
        lanes.dropShards(Set.of(5));
        test.verify(() -> assertEquals(List.of(2L), letGo, "queued messages of the shard are let go"));
        first.complete(CommitResult.FENCED);
        vertx.setTimer(20, t2 -> {
          test.verify(() -> {
            assertEquals(List.of(1L, 3L), handled);
            assertEquals(0, lanes.queued());
            assertEquals(List.of(2L, 1L), letGo, "the fenced turn is let go too: the new owner handles it");
          });
          test.completeNow();
        });
      });
    });
  }

  @Test
  void withoutRoomMessagesStayInTheLogAndTheSweepIsCalledOnceThereIsRoom(Vertx vertx, VertxTestContext test)
      throws Exception {
    Context context = vertx.getOrCreateContext();
    List<Long> letGo = new ArrayList<>();
    AtomicInteger roomCalls = new AtomicInteger();
    context.runOnContext(v -> {
      ConversationLanes lanes = lanes(64, context, m -> later(vertx, CommitResult.OK), letGo, from -> {
        roomCalls.incrementAndGet();
        test.verify(() -> assertEquals(999_999L, from, "the sweep reads on from the first message left in the log"));
      });
      for (long seq = 1; seq <= ConversationLanes.MAX_QUEUED; seq++) {
        assertTrue(lanes.offer(message("c" + (seq % 500), seq, 0)));
      }
      test.verify(() -> assertFalse(lanes.offer(message("late", 999_999, 0))));
      vertx.setPeriodic(20, id -> {
        if (lanes.queued() == 0) {
          vertx.cancelTimer(id);
          test.verify(() -> {
            assertTrue(letGo.contains(999_999L), "the message without room is let go");
            assertEquals(1, roomCalls.get(), "the sweep is asked once");
          });
          test.completeNow();
        }
      });
    });
    assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
  }

  @Test
  void aMessageOfAShardNotHeldLeavesTheLaneWithEverythingOfItsShard(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    List<Long> letGo = new ArrayList<>();
    List<Long> handled = new ArrayList<>();
    context.runOnContext(v -> {
      ConversationLanes lanes = lanes(1, context, m -> {
        handled.add(m.seq());
        return later(vertx, null); // not owned
      }, letGo, from -> { });
      lanes.offer(message("a", 1, 9));
      lanes.offer(message("b", 2, 9));
      vertx.setTimer(30, t -> {
        test.verify(() -> {
          assertEquals(List.of(1L), handled, "the second message of the shard is not run");
          assertEquals(Set.of(1L, 2L), Set.copyOf(letGo));
          assertEquals(0, lanes.queued());
        });
        test.completeNow();
      });
    });
  }
}
