package dev.switchboard.app.quota;

import dev.switchboard.spi.ChannelId;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-sender rate limits: a token bucket per channel and sender in Redis, shared by every node. A bucket holds
 * up to {@code burst} tokens and refills at {@code perMinute}; each message takes one. The bucket lives in one
 * Redis hash, read and written by one script (atomic, on Redis's clock), and expires once it would be full again.
 *
 * <p>Redis is a cache here too: when it does not answer, messages are let through (one warning per outage),
 * because refusing every sender is worse than not limiting one for a while.
 *
 * <p>A small script rather than a rate-limiting library: Bucket4j's Redis back ends need a second Redis client
 * (Lettuce, Jedis or Redisson) beside Vert.x's.
 */
public final class SenderQuotas {
  private static final Logger LOG = LoggerFactory.getLogger(SenderQuotas.class);
  private static final long TIMEOUT_MS = 1000;
  private static final String PREFIX = "sb:quota:";
  // KEYS[1] the bucket; ARGV: tokens per ms, burst. Answers {allowed, ms until a token, first refusal since the
  // sender last got through}.
  private static final String TAKE = """
      local t = redis.call('TIME')
      local now = t[1] * 1000 + math.floor(t[2] / 1000)
      local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
      local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
      local tokens = tonumber(b[1]) or burst
      local at = tonumber(b[2]) or now
      tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
      local ttl = math.ceil(burst / rate) + 1000
      if tokens >= 1 then
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', now, 'warned', 0)
        redis.call('PEXPIRE', KEYS[1], ttl)
        return {1, 0, 0}
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now, 'warned', 1)
      redis.call('PEXPIRE', KEYS[1], ttl)
      return {0, math.ceil((1 - tokens) / rate), b[3] == '1' and 0 or 1}
      """;

  /**
   * One bucket's size.
   *
   * @param perMinute tokens added per minute
   * @param burst the most tokens a bucket holds: how many messages may come at once
   */
  public record Limit(int perMinute, int burst) {}

  /**
   * What a sender may do now.
   *
   * @param allowed the message may go on
   * @param retryAfterMillis when not: how long until the next one may
   * @param firstRefusal when not: the first refusal since the sender last got through (tell it once)
   */
  public record Decision(boolean allowed, long retryAfterMillis, boolean firstRefusal) {
    static final Decision ALLOWED = new Decision(true, 0, false);

    /** The wait in whole seconds, at least 1, as {@code Retry-After} wants it. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfterMillis + 999) / 1000);
    }
  }

  private final RedisAPI redis;
  private final Limit defaults;
  private final Map<String, Limit> perChannel;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param defaults {@code limits.sender.*}
   * @param perChannel {@code limits.<channel>.*}, by channel name, where set
   */
  public SenderQuotas(RedisAPI redis, Limit defaults, Map<String, Limit> perChannel) {
    this.redis = redis;
    this.defaults = defaults;
    this.perChannel = Map.copyOf(perChannel);
  }

  /** Takes one message from the sender's bucket. Never fails. */
  public Future<Decision> take(ChannelId channel, String sender) {
    Limit limit = perChannel.getOrDefault(channel.value(), defaults);
    String rate = Double.toString(limit.perMinute() / 60_000.0);
    return redis.eval(List.of(TAKE, "1", PREFIX + channel.value() + ":" + sender, rate,
            Integer.toString(limit.burst())))
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(SenderQuotas::decision)
        .onSuccess(d -> {
          if (failing.compareAndSet(true, false)) {
            LOG.info("sender quotas: Redis answers again; limits apply again");
          }
        })
        .recover(e -> {
          if (failing.compareAndSet(false, true)) {
            LOG.warn("sender quotas: Redis does not answer ({}); messages are let through unlimited until it does",
                e.toString());
          }
          return Future.succeededFuture(Decision.ALLOWED);
        });
  }

  private static Decision decision(Response answer) {
    if (answer.get(0).toInteger() == 1) {
      return Decision.ALLOWED;
    }
    return new Decision(false, answer.get(1).toLong(), answer.get(2).toInteger() == 1);
  }
}
