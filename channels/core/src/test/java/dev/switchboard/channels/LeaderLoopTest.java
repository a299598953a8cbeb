package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderLoopTest {
  private static final Duration TTL = Duration.ofMillis(300);
  private static final Duration CHECK = Duration.ofMillis(50);

  private final Vertx vertx = Vertx.vertx();
  /** One lease table shared by the "nodes": name → holder and expiry, as Redis keeps it. */
  private final Map<String, Holder> table = new ConcurrentHashMap<>();

  record Holder(String node, long expiresAtNanos) {}

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void oneNodeLeadsAndAnotherTakesOverWhenItGoes() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    LeaderLoop a = loop("a", events);
    LeaderLoop b = loop("b", events);
    vertx.runOnContext(v -> a.start());
    await(() -> events.contains("a leads"));
    vertx.runOnContext(v -> b.start());
    Thread.sleep(TTL.toMillis() * 3); // several renewals: a keeps it, b keeps asking
    assertEquals(List.of("a leads"), events);
    vertx.runOnContext(v -> a.stop()); // gives the lease back
    await(() -> events.contains("b leads"));
    assertEquals(List.of("a leads", "b leads"), events);
    vertx.runOnContext(v -> b.stop());
  }

  @Test
  void aLeaderWhoseLeaseWasTakenStandsByAndAsksAgain() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    LeaderLoop a = loop("a", events);
    vertx.runOnContext(v -> a.start());
    await(() -> events.contains("a leads"));
    table.put("job", new Holder("intruder", System.nanoTime() + TTL.toNanos())); // as after a pause past the TTL
    await(() -> events.contains("a stands by"));
    assertFalse(a.leading());
    await(() -> events.size() == 3); // the intruder's lease expires unrenewed: a leads again
    assertEquals(List.of("a leads", "a stands by", "a leads"), events);
    assertTrue(a.leading());
    vertx.runOnContext(v -> a.stop());
  }

  @Test
  void aLeaderFrozenPastItsLeaseDoesNotLeadUntilTheStoreAnswersAgain() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    LeaderLoop a = loop("a", events);
    vertx.runOnContext(v -> a.start());
    await(() -> events.contains("a leads"));
    java.util.concurrent.CompletableFuture<Boolean> rightAfter = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        Thread.sleep(TTL.toMillis() * 2); // the event loop frozen, as by SIGSTOP: no renewal meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      table.put("job", new Holder("b", System.nanoTime() + TTL.toNanos())); // another node took it meanwhile
      rightAfter.complete(a.leading() || !a.unconfirmed());
    });
    assertFalse(rightAfter.get(), "right after the freeze: not leading, waiting for the store's answer");
    await(() -> events.contains("a stands by")); // the renewal's answer: taken
    assertFalse(a.leading());
    assertFalse(a.unconfirmed());
    vertx.runOnContext(v -> a.stop());
  }

  private LeaderLoop loop(String node, List<String> events) {
    return new LeaderLoop(vertx, new TableLeases(node), "job", TTL, CHECK, new LeaderLoop.Leader() {
      @Override
      public void lead() {
        events.add(node + " leads");
      }

      @Override
      public void standBy() {
        events.add(node + " stands by");
      }
    });
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s");
      }
      Thread.sleep(10);
    }
  }

  /** Leases in {@link #table}, with the semantics of the gateway's Redis leases. */
  private final class TableLeases implements Leases {
    private final String node;

    TableLeases(String node) {
      this.node = node;
    }

    @Override
    public Future<Boolean> acquire(String name, Duration ttl) {
      long now = System.nanoTime();
      Holder next = new Holder(node, now + ttl.toNanos());
      Holder held = table.compute(name, (k, old) ->
          old == null || old.expiresAtNanos() < now || old.node().equals(node) ? next : old);
      return Future.succeededFuture(held == next);
    }

    @Override
    public Future<Boolean> renew(String name, Duration ttl) {
      long now = System.nanoTime();
      Holder next = new Holder(node, now + ttl.toNanos());
      Holder held = table.computeIfPresent(name, (k, old) ->
          old.node().equals(node) && old.expiresAtNanos() >= now ? next : old);
      return Future.succeededFuture(held == next);
    }

    @Override
    public void release(String name) {
      table.computeIfPresent(name, (k, old) -> old.node().equals(node) ? null : old);
    }
  }
}
