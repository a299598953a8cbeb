package dev.switchboard.app.shard;

import dev.switchboard.app.health.OutageWarning;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which shards this node works, and the fencing token of each. Every {@link #RENEW_EVERY} a cycle records a
 * heartbeat, renews the leases held, gives back shards beyond this node's fair share (the shards divided by the
 * nodes alive) and takes free or expired ones up to it, so shards rebalance when nodes join or leave and a dead
 * node's shards are taken over once its leases expire ({@link #LEASE_TTL}) — within 10 s in all.
 *
 * <p>The hot path asks {@link #token(int)} — a read of memory, no round trip. Cycles run on one context (the
 * pipeline's); {@link Listener} hears of shards gained and lost there. Reads are safe from any thread.
 */
public final class ShardOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(ShardOwnership.class);
  private final OutageWarning outage = new OutageWarning(LOG, "PostgreSQL");
  /** How long a lease lasts unless renewed; also how long a node counts as alive after its last heartbeat. */
  public static final Duration LEASE_TTL = Duration.ofSeconds(6);
  public static final Duration RENEW_EVERY = Duration.ofSeconds(2);

  /** Hears of ownership changes, on the context cycles run on. */
  public interface Listener {
    /** These shards are now this node's: their pending messages are to be swept up. */
    void gained(Set<Integer> shards);

    /** These shards are no longer this node's: forget what is queued for them. */
    void lost(Set<Integer> shards);
  }

  private final ShardLeaseStore store;
  /** The token of each shard held, 0 when not held. */
  private final AtomicLongArray tokens = new AtomicLongArray(Shards.COUNT);
  private Listener listener;
  private long lastRenewed = System.nanoTime();
  private boolean cycling;

  public ShardOwnership(Pool pg, String node) {
    this.store = new ShardLeaseStore(pg, node);
  }

  /** Sets who hears of changes; call before the first cycle. */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  /** The fencing token this node holds the shard with, or 0 when it does not hold it. */
  public long token(int shard) {
    return tokens.get(shard);
  }

  public boolean owns(int shard) {
    return tokens.get(shard) != 0;
  }

  /** How many shards this node holds. */
  public int held() {
    return heldMap().size();
  }

  /** The shards this node holds now. */
  public int[] heldShards() {
    return heldMap().keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  /** One cycle: heartbeat, renew, rebalance. Never fails; a cycle that cannot reach PostgreSQL is logged. */
  public Future<Void> cycle() {
    if (cycling) {
      return Future.succeededFuture();
    }
    cycling = true;
    long started = System.nanoTime();
    return store.heartbeat(LEASE_TTL)
        .compose(others -> renew(started).compose(v -> rebalance(others + 1)))
        .onSuccess(v -> outage.answered())
        .recover(e -> {
          outage.failed(e, "shard leases are not renewed");
          if (System.nanoTime() - lastRenewed > LEASE_TTL.toNanos()) {
            lose(heldMap().keySet(), "leases expired while PostgreSQL did not answer");
          }
          return Future.succeededFuture();
        })
        .eventually(() -> {
          cycling = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> renew(long started) {
    Map<Integer, Long> held = heldMap();
    if (held.isEmpty()) {
      lastRenewed = started;
      return Future.succeededFuture();
    }
    return store.renew(held, LEASE_TTL).map(renewed -> {
      lastRenewed = started;
      Set<Integer> lost = new TreeSet<>(held.keySet());
      renewed.forEach(lost::remove);
      if (!lost.isEmpty()) {
        lose(lost, "taken by another node");
      }
      return null;
    });
  }

  private Future<Void> rebalance(int nodes) {
    int fairShare = (Shards.COUNT + nodes - 1) / nodes;
    Map<Integer, Long> held = heldMap();
    if (held.size() > fairShare) {
      List<Integer> extra = new ArrayList<>(held.keySet()).subList(0, held.size() - fairShare);
      lose(new TreeSet<>(extra), "rebalanced to " + nodes + " nodes");
      return store.release(extra);
    }
    if (held.size() == fairShare) {
      return Future.succeededFuture();
    }
    return store.free(held.keySet(), fairShare - held.size())
        .compose(free -> free.isEmpty() ? Future.succeededFuture(Map.<Integer, Long>of())
            : store.takeAll(free, LEASE_TTL))
        .map(taken -> {
          if (!taken.isEmpty()) {
            taken.forEach((shard, token) -> tokens.set(shard, token));
            LOG.info("took {} shard(s), holding {} of {} ({} node(s) alive)", taken.size(), held(), Shards.COUNT,
                nodes);
            if (listener != null) {
              listener.gained(new TreeSet<>(taken.keySet()));
            }
          }
          return null;
        });
  }

  /** Gives up a shard at once: a commit found it fenced, so another node holds it now. */
  public void lost(int shard) {
    if (owns(shard)) {
      lose(Set.of(shard), "a commit was fenced");
    }
  }

  /** Gives back every shard (on stop), so other nodes take them at once. */
  public Future<Void> releaseAll() {
    Set<Integer> held = heldMap().keySet();
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    lose(held, "stopping");
    return store.release(new ArrayList<>(held)).recover(e -> Future.succeededFuture());
  }

  private void lose(Set<Integer> shards, String why) {
    Set<Integer> lost = new TreeSet<>(shards);
    if (lost.isEmpty()) {
      return;
    }
    lost.forEach(shard -> tokens.set(shard, 0));
    LOG.info("gave up {} shard(s): {}", lost.size(), why);
    if (listener != null) {
      listener.lost(lost);
    }
  }

  private Map<Integer, Long> heldMap() {
    Map<Integer, Long> held = new HashMap<>();
    for (int s = 0; s < Shards.COUNT; s++) {
      long token = tokens.get(s);
      if (token != 0) {
        held.put(s, token);
      }
    }
    return held;
  }
}
