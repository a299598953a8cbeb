package dev.switchboard.app.pipeline;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation ownership as a Redis lease per conversation ({@code SET key node NX PX ttl}), renewed and
 * released only by its holder (compare-and-set scripts). A node that dies simply stops renewing; its leases
 * expire and the other nodes' sweeps take the work over.
 *
 * <p>When Redis does not answer, a node goes ahead without the lease: correctness does not depend on it
 * (sessions are versioned, so two nodes can never both commit a turn); the lease only saves doing work twice.
 */
final class RedisLaneOwnership implements LaneOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLaneOwnership.class);
  private static final String PREFIX = "sb:lane:";
  private static final long TIMEOUT_MS = 1000;
  private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisAPI redis;
  private final String node = UUID.randomUUID().toString();
  private final String ttlMillis;

  RedisLaneOwnership(RedisAPI redis, Duration ttl) {
    this.redis = redis;
    this.ttlMillis = Long.toString(ttl.toMillis());
  }

  @Override
  public Future<Boolean> acquire(String conversation) {
    return redis.set(List.of(PREFIX + conversation, node, "NX", "PX", ttlMillis))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answer -> answer != null && "OK".equals(answer.toString()))
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
