package dev.switchboard.app.storage;

import dev.switchboard.channels.Leases;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Leases} in Redis: one key per lease holding the node's id, taken when free or already ours, renewed
 * and released only by its holder (compare-and-set scripts). A node that dies stops renewing; its leases expire
 * within the TTL, or the node takes them up again at once when it comes back (its id is kept in its data
 * directory).
 *
 * <p>When Redis does not answer, a node goes ahead as if it held the lease: nothing depends on the lease for
 * correctness (sessions are versioned; a second Telegram poller gets a 409 and backs off); it only saves doing
 * work twice.
 */
public final class RedisLeases implements Leases {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLeases.class);
  private static final String PREFIX = "sb:lease:";
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

  /** @param node this node's id, the same across its restarts */
  public RedisLeases(RedisAPI redis, String node) {
    this.redis = redis;
    this.node = node;
  }

  @Override
  public Future<Boolean> acquire(String name, Duration ttl) {
    return script(ACQUIRE, name, ttl);
  }

  @Override
  public Future<Boolean> renew(String name, Duration ttl) {
    return script(RENEW, name, ttl);
  }

  @Override
  public void release(String name) {
    redis.eval(List.of(RELEASE, "1", PREFIX + name, node))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.debug("lease {} not released: {}", name, e.toString()));
  }

  private Future<Boolean> script(String script, String name, Duration ttl) {
    return redis.eval(List.of(script, "1", PREFIX + name, node, Long.toString(ttl.toMillis())))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answer -> answer != null && answer.toInteger() == 1)
        .recover(e -> {
          LOG.debug("lease {} not checked, Redis failed: {}", name, e.toString());
          return Future.succeededFuture(true);
        });
  }
}
