package dev.switchboard.app.pipeline;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation ownership as a Redis lease per conversation: taken when free or already ours, renewed and
 * released only by its holder (compare-and-set scripts). A node that dies stops renewing; its leases expire
 * within the TTL and the other nodes' sweeps take the work over, or the node takes them up again at once when
 * it comes back (its id is kept in its data directory).
 *
 * <p>When Redis does not answer, a node goes ahead without the lease: correctness does not depend on it
 * (sessions are versioned, so two nodes can never both commit a turn); the lease only saves doing work twice.
 */
final class RedisLaneOwnership implements LaneOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLaneOwnership.class);
  private static final String PREFIX = "sb:lane:";
  private static final long TIMEOUT_MS = 1000;
  private static final String ACQUIRE = "local holder = redis.call('get', KEYS[1]) "
      + "if holder == false or holder == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 "
      + "else return 0 end";
  private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisAPI redis;
  private final String node;
  private final String ttlMillis;

  /**
   * @param node this node's id, the same across its restarts, so that a node that crashed and came back can
   *     take up the leases it held at once
   */
  RedisLaneOwnership(RedisAPI redis, String node, Duration ttl) {
    this.redis = redis;
    this.node = node;
    this.ttlMillis = Long.toString(ttl.toMillis());
  }

  @Override
  public Future<Boolean> acquire(String conversation) {
    return redis.eval(List.of(ACQUIRE, "1", PREFIX + conversation, node, ttlMillis))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answer -> answer != null && answer.toInteger() == 1)
        .recover(e -> {
          LOG.debug("lease for {} not checked, Redis failed: {}", conversation, e.toString());
          return Future.succeededFuture(true);
        });
  }

  @Override
  public void renew(String conversation) {
    redis.eval(List.of(RENEW, "1", PREFIX + conversation, node, ttlMillis))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.debug("lease for {} not renewed: {}", conversation, e.toString()));
  }

  @Override
  public void release(String conversation) {
    redis.eval(List.of(RELEASE, "1", PREFIX + conversation, node))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.debug("lease for {} not released: {}", conversation, e.toString()));
  }
}
