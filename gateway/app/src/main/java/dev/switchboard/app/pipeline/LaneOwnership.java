package dev.switchboard.app.pipeline;

import dev.switchboard.channels.Leases;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Which node works a conversation. A lane takes ownership before its first step and gives it back after its
 * last; while another node owns the conversation, this node leaves it alone (that node drains everything
 * pending, including messages this node recorded).
 */
interface LaneOwnership {

  /** Tries to take the conversation; {@code true} when this node now owns it. */
  Future<Boolean> acquire(String conversation);

  /** Keeps ownership alive during a long drain. Best effort. */
  void renew(String conversation);

  /** Gives the conversation back. Best effort: ownership also expires by itself. */
  void release(String conversation);

  /** Ownership as a lease per conversation, {@code lane:<conversation>}. */
  static LaneOwnership over(Leases leases, Duration ttl) {
    return new LaneOwnership() {
      @Override
      public Future<Boolean> acquire(String conversation) {
        return leases.acquire("lane:" + conversation, ttl);
      }

      @Override
      public void renew(String conversation) {
        leases.renew("lane:" + conversation, ttl);
      }

      @Override
      public void release(String conversation) {
        leases.release("lane:" + conversation);
      }
    };
  }

  /** Every conversation is always ours: a single node, or tests. */
  LaneOwnership SOLE = new LaneOwnership() {
    @Override
    public Future<Boolean> acquire(String conversation) {
      return Future.succeededFuture(true);
    }

    @Override
    public void renew(String conversation) {}

    @Override
    public void release(String conversation) {}
  };
}
