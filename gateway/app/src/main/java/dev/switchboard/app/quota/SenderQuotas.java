package dev.switchboard.app.quota;

import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.health.OutageWarning;
import dev.switchboard.spi.ChannelId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-sender rate limits: a token bucket per channel and sender in Redis, shared by every node. A bucket holds
 * up to {@code burst} tokens and refills at {@code perMinute}; each message takes one. A bucket is one Redis
 * hash, read and written by a script (atomic, on Redis's clock) that takes from every bucket of a batch of
 * concurrent messages at once; it expires once it would be full again.
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
  // KEYS: the buckets; ARGV: tokens per ms and burst for each. Answers, per bucket: allowed, ms until a token,
  // first refusal since the sender last got through.
  private static final String TAKE = """
      local t = redis.call('TIME')
      local now = t[1] * 1000 + math.floor(t[2] / 1000)
      local out = {}
      for i, key in ipairs(KEYS) do
        local rate, burst = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
        local b = redis.call('HMGET', key, 'tokens', 'at', 'warned')
        local tokens = tonumber(b[1]) or burst
        local at = tonumber(b[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
        local ttl = math.ceil(burst / rate) + 1000
        if tokens >= 1 then
          redis.call('HSET', key, 'tokens', tostring(tokens - 1), 'at', now, 'warned', 0)
          table.insert(out, 1); table.insert(out, 0); table.insert(out, 0)
        else
          redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now, 'warned', 1)
          table.insert(out, 0); table.insert(out, math.ceil((1 - tokens) / rate))
          table.insert(out, b[3] == '1' and 0 or 1)
        end
        redis.call('PEXPIRE', key, ttl)
      end
      return out
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

  private record Take(String key, Limit limit) {}

  private final RedisAPI redis;
  private final GroupCommit<Take, Decision> takes;
  private final Limit defaults;
  private final Map<String, Limit> perChannel;
  private final OutageWarning outage = new OutageWarning(LOG, "Redis");

  /**
   * @param defaults {@code limits.sender.*}
   * @param perChannel {@code limits.<channel>.*}, by channel name, where set
   */
  public SenderQuotas(Vertx vertx, RedisAPI redis, Limit defaults, Map<String, Limit> perChannel) {
    this.redis = redis;
    // concurrent messages share one script call: one Redis round trip for the lot
    this.takes = new GroupCommit<>(vertx, "quota checks", new GroupCommit.Limits(256, 2, 10_000), this::takeAll);
    this.defaults = defaults;
    this.perChannel = Map.copyOf(perChannel);
  }

  /** Takes one message from the sender's bucket. Never fails. */
  public Future<Decision> take(ChannelId channel, String sender) {
    return takes.submit(new Take(PREFIX + channel.value() + ":" + sender,
            perChannel.getOrDefault(channel.value(), defaults)))
        .recover(e -> Future.succeededFuture(Decision.ALLOWED)); // too many waiting: not the sender's fault
  }

  private Future<List<Decision>> takeAll(List<Take> batch) {
    List<String> args = new ArrayList<>(2 + 3 * batch.size());
    args.add(TAKE);
    args.add(Integer.toString(batch.size()));
    batch.forEach(take -> args.add(take.key()));
    for (Take take : batch) {
      args.add(Double.toString(take.limit().perMinute() / 60_000.0));
      args.add(Integer.toString(take.limit().burst()));
    }
    return redis.eval(args)
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answer -> {
          List<Decision> decisions = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            decisions.add(answer.get(3 * i).toInteger() == 1 ? Decision.ALLOWED
                : new Decision(false, answer.get(3 * i + 1).toLong(), answer.get(3 * i + 2).toInteger() == 1));
          }
          return decisions;
        })
        .onSuccess(d -> outage.answered())
        .recover(e -> {
          outage.failed(e, "sender quotas let messages through unlimited");
          return Future.succeededFuture(Collections.nCopies(batch.size(), Decision.ALLOWED));
        });
  }
}
