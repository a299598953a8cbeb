package dev.switchboard.channels;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "One node holds this connection": takes a shared {@link Leases lease}, keeps it renewed (three times per TTL),
 * and tells its {@link Leader} when this node starts or stops leading. A node that is not leading asks again
 * every few seconds, so a dead leader's job is taken over once its lease expires. Used from one Vert.x context
 * (a verticle's); the leader's callbacks run on it.
 */
public final class LeaderLoop {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLoop.class);

  /** What this node does while it leads. */
  public interface Leader {
    /** This node holds the lease now: connect, poll. */
    void lead();

    /** The lease was lost (taken over, or Redis said so): stop at once, another node may be leading. */
    void standBy();
  }

  private final Vertx vertx;
  private final Leases leases;
  private final String lease;
  private final Duration ttl;
  private final Duration standByCheck;
  private final Leader leader;
  private boolean leading;
  /** When the lease store last answered this leader (renewed, or could not be reached: an outage is no loss). */
  private long answeredAt;
  private boolean stopped;
  private long renewTimer = -1;
  private long retryTimer = -1;

  /**
   * @param lease the lease's name (never a secret: see {@link Leases#nameFor})
   * @param standByCheck how often a node that does not lead asks for the lease
   */
  public LeaderLoop(Vertx vertx, Leases leases, String lease, Duration ttl, Duration standByCheck, Leader leader) {
    this.vertx = vertx;
    this.leases = leases;
    this.lease = lease;
    this.ttl = ttl;
    this.standByCheck = standByCheck;
    this.leader = leader;
  }

  public void start() {
    tryToLead();
  }

  /**
   * Whether this node leads now: it took the lease and has heard from the lease store within its TTL. A node that
   * was frozen (SIGSTOP, a long GC) past the TTL does not lead until its next renewal is answered, since another
   * node may have taken over meanwhile: it must not poll or connect in between.
   */
  public boolean leading() {
    return leading && System.nanoTime() - answeredAt < ttl.toNanos();
  }

  /** Took the lease, but has not heard from the lease store for a TTL: wait for the renewal's answer. */
  public boolean unconfirmed() {
    return leading && !leading();
  }

  /** Stops asking and gives the lease back if held; the leader is not called again. */
  public void stop() {
    stopped = true;
    vertx.cancelTimer(renewTimer);
    vertx.cancelTimer(retryTimer);
    if (leading) {
      leading = false;
      leases.release(lease);
    }
  }

  private void tryToLead() {
    if (stopped) {
      return;
    }
    leases.acquire(lease, ttl).onComplete(ar -> {
      if (stopped) {
        if (ar.succeeded() && ar.result()) {
          leases.release(lease);
        }
        return;
      }
      if (ar.succeeded() && ar.result()) {
        leading = true;
        answeredAt = System.nanoTime();
        renewTimer = vertx.setPeriodic(Math.max(1, ttl.toMillis() / 3), id -> renew());
        leader.lead();
      } else {
        retryTimer = vertx.setTimer(standByCheck.toMillis(), id -> tryToLead());
      }
    });
  }

  private void renew() {
    leases.renew(lease, ttl).onComplete(ar -> {
      if (!ar.succeeded() || ar.result()) {
        answeredAt = System.nanoTime();
      }
      if (stopped || !leading || (ar.succeeded() && ar.result())) {
        return; // a failed renewal (Redis away) keeps leading until the lease says otherwise
      }
      if (ar.succeeded()) {
        LOG.warn("lease {} was taken over by another node; standing by", lease);
        leading = false;
        vertx.cancelTimer(renewTimer);
        leader.standBy();
        retryTimer = vertx.setTimer(standByCheck.toMillis(), id -> tryToLead());
      }
    });
  }
}
