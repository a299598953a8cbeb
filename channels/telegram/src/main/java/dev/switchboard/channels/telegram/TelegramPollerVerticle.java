package dev.switchboard.channels.telegram;

import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.LeaderLoop;
import dev.switchboard.channels.Leases;
import dev.switchboard.channels.Mapping;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling: {@code deleteWebhook}, then {@code getUpdates} in a loop. Updates are recorded one by one, in
 * order, before the next call confirms them with a higher {@code offset}: a crash re-reads (and the inbound log
 * drops the duplicates) rather than loses. A 409 (another poller or a webhook) and network errors back off and
 * try again, without restarting anything.
 *
 * <p>One poller per bot token across all gateway nodes: only the holder of the token's lease polls; the others
 * stand by and take over when the holder stops renewing it (it died).
 */
final class TelegramPollerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramPollerVerticle.class);
  static final int POLL_SECONDS = 25;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  static final Duration LEASE_TTL = Duration.ofSeconds(15);
  static final Duration STANDBY_CHECK = Duration.ofSeconds(5);

  private final TelegramApiClient api;
  private final TelegramIngress ingress;
  private final Leases leases;
  private final String lease;
  private final AtomicLong lastPoll;
  private long offset;
  private int failures;
  private final InboundGateway gateway;
  private LeaderLoop leadership;
  private long standByHealth = -1;
  /** Counts leaderships, so a poll loop of an earlier one stops instead of running beside the new one. */
  private int generation;
  private volatile boolean stopping;

  /**
   * @param lease the name of this bot token's poller lease (never the token itself)
   * @param lastPoll set to the time of each answered poll, or of each standby check, for health
   */
  TelegramPollerVerticle(TelegramApiClient api, TelegramIngress ingress, InboundGateway gateway, Leases leases,
      String lease, AtomicLong lastPoll) {
    this.api = api;
    this.gateway = gateway;
    this.ingress = ingress;
    this.leases = leases;
    this.lease = lease;
    this.lastPoll = lastPoll;
  }

  @Override
  public Future<?> start() {
    leadership = new LeaderLoop(vertx, leases, lease, LEASE_TTL, STANDBY_CHECK, new LeaderLoop.Leader() {
      @Override
      public void lead() {
        lastPoll.set(System.nanoTime());
        int mine = ++generation;
        api.deleteWebhook().onComplete(deleted -> {
          if (deleted.succeeded() && !deleted.result().ok()) {
            LOG.warn("deleteWebhook failed: {}", deleted.result().description());
          }
          poll(mine);
        });
      }

      @Override
      public void standBy() {
        lastPoll.set(System.nanoTime());
        LOG.warn("another node took over polling this bot; standing by");
      }
    });
    standByHealth = vertx.setPeriodic(STANDBY_CHECK.toMillis(), id -> {
      if (!leadership.leading()) {
        lastPoll.set(System.nanoTime()); // standing by is healthy: another node polls
      }
    });
    leadership.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true; // a poll in flight ends by itself; its updates are not confirmed and come again
    vertx.cancelTimer(standByHealth);
    leadership.stop();
    return Future.succeededFuture();
  }

  private void poll(int loop) {
    if (stopping || loop != generation) {
      return;
    }
    if (!leadership.leading()) {
      if (leadership.unconfirmed()) { // frozen past the lease: poll again only once it is renewed
        vertx.setTimer(STANDBY_CHECK.toMillis() / 10, id -> poll(loop));
      }
      return;
    }
    api.getUpdates(offset, POLL_SECONDS).compose(answer -> {
      if (!answer.ok()) {
        return Future.failedFuture(describe(answer));
      }
      lastPoll.set(System.nanoTime());
      JsonArray updates = answer.result() instanceof JsonArray a ? a : new JsonArray();
      return recordInOrder(updates, 0);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        failures = 0;
        vertx.runOnContext(v -> poll(loop));
      } else {
        failures++;
        Duration wait = ar.cause() instanceof RetryAfter r ? r.after : backoff(failures);
        LOG.warn("Telegram polling: {}; trying again in {} s", ar.cause().getMessage(), wait.toSeconds());
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> poll(loop));
      }
    });
  }

  /** Records updates one at a time; the offset moves past each one only once it is recorded. */
  private Future<Void> recordInOrder(JsonArray updates, int index) {
    if (index >= updates.size() || stopping) {
      return Future.succeededFuture();
    }
    JsonObject json = updates.getValue(index) instanceof JsonObject o ? o : new JsonObject();
    Mapping mapping = ingress.map(json, json.toBuffer());
    if (mapping == null) {
      return recordInOrder(updates, index + 1);
    }
    return mapping.record(gateway).compose(v -> {
      ingress.answerPress(json);
      // the last one read, not the highest ever: after a quiet week Telegram starts ids anew, possibly lower
      offset = json.getLong("update_id") + 1L;
      return recordInOrder(updates, index + 1);
    });
  }

  private static Throwable describe(TelegramApiClient.Answer answer) {
    if (answer.status() == 409) {
      return new IllegalStateException("409 Conflict: another poller or a webhook uses this bot token");
    }
    if (answer.retryAfter() != null) {
      return new RetryAfter(answer.retryAfter(), answer.description());
    }
    return new IllegalStateException(answer.status() + " " + answer.description());
  }

  private static Duration backoff(int failures) {
    long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(failures - 1, 5));
    return Duration.ofSeconds(seconds);
  }

  /** Telegram said when to come back. */
  private static final class RetryAfter extends RuntimeException {
    private final Duration after;

    RetryAfter(Duration after, String message) {
      super("rate limited (" + message + ")", null, false, false);
      this.after = after;
    }
  }
}
