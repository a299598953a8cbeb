package dev.switchboard.app.outbox;

import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.health.OutageWarning;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.tracing.Tracing;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.Outbound;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox rows through their channel. It claims the oldest pending reply of each conversation (so a
 * conversation's replies go out in order while different conversations go out in parallel), up to
 * {@link #MAX_IN_FLIGHT} at once, and claims again as each delivery ends. Transient failures are retried with
 * exponential backoff (or the platform's own {@code Retry-After}) up to {@link #MAX_ATTEMPTS}; permanent ones are
 * recorded as failed. On stop it waits for deliveries in flight.
 */
public final class OutboxDispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcherVerticle.class);
  private final OutageWarning claimOutage = new OutageWarning(LOG, "PostgreSQL");
  static final int MAX_ATTEMPTS = 10;
  static final int MAX_IN_FLIGHT = 64;
  private static final long POLL_MS = 1000;
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(15);

  private final OutboxStore outbox;
  private final Map<String, ChannelAdapter> channels;
  private final GatewayMetrics metrics;
  private final Tracing tracing;
  private GroupCommit<OutboxStore.Delivered, Void> deliveredMarks;
  private long timer;
  private boolean polling;
  private boolean pollAgain;
  private boolean stopping;
  private int inFlight;
  private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();

  public OutboxDispatcherVerticle(OutboxStore outbox, Map<String, ChannelAdapter> channels, GatewayMetrics metrics,
      Tracing tracing) {
    this.outbox = outbox;
    this.tracing = tracing;
    this.metrics = metrics;
    this.channels = channels;
  }

  @Override
  public Future<?> start() {
    deliveredMarks = new GroupCommit<>(vertx, "delivery marks", new GroupCommit.Limits(256, 2, 10_000),
        outbox::markAllDelivered);
    timer = vertx.setPeriodic(POLL_MS, id -> poll());
    return outbox.releaseOwnClaims().onSuccess(released -> {
      if (released > 0) {
        LOG.info("taking back {} repl(ies) this node was delivering when it stopped", released);
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return awaitInFlight();
  }

  private Future<Void> awaitInFlight() {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    vertx.setPeriodic(50, id -> {
      if ((inFlight == 0 && !polling) || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  /** Says replies were committed for delivery; thread-safe. Calls close together share one claim. */
  public void wake() {
    if (!woken.getAndSet(true)) {
      context.runOnContext(v -> {
        woken.set(false);
        poll();
      });
    }
  }

  /** Claims due rows while there is room; calls that come in meanwhile are folded into one more round. */
  private void poll() {
    if (stopping) {
      return;
    }
    int room = MAX_IN_FLIGHT - inFlight;
    if (polling || room <= 0) {
      pollAgain = true;
      return;
    }
    polling = true;
    pollAgain = false;
    outbox.claimDue(room).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        claimOutage.failed(ar.cause(), "no replies are delivered");
        return;
      }
      claimOutage.answered();
      List<Outbound> rows = ar.result();
      for (Outbound row : rows) {
        inFlight++;
        deliver(row).onComplete(done -> {
          inFlight--;
          if (done.failed()) {
            LOG.warn("recording delivery {} failed: {}", row.deliveryId(), done.cause().toString());
          }
          poll(); // the conversation's next reply may be due now
        });
      }
      if (pollAgain) {
        poll();
      }
    });
  }

  private Future<Void> deliver(Outbound row) {
    ChannelAdapter channel = channels.get(row.conversation().channel().value());
    if (channel == null) {
      return outbox.retryAfter(row, OutboxStore.LEASE, "channel is not enabled on this node");
    }
    long started = System.nanoTime();
    String channelName = row.conversation().channel().value();
    return tracing.step(channelName, row.inReplyTo().value(), "deliver " + channelName, () -> {
          try {
            return channel.deliver(row);
          } catch (RuntimeException e) { // an adapter that throws instead of failing its future
            return Future.<DeliveryResult>failedFuture(e);
          }
        })
        .otherwise(e -> new DeliveryResult.RetryLater(null, e.toString()))
        .compose(result -> record(row, result, Duration.ofNanos(System.nanoTime() - started)));
  }

  private Future<Void> record(Outbound row, DeliveryResult result, Duration took) {
    String channel = row.conversation().channel().value();
    if (result instanceof DeliveryResult.Delivered d) {
      metrics.reply(channel, "delivered", took);
      return deliveredMarks.submit(new OutboxStore.Delivered(row, d.platformMessageId()));
    }
    if (result instanceof DeliveryResult.Failed f) {
      metrics.reply(channel, "failed", took);
      LOG.warn("delivery {} of message {} failed: {}", row.deliveryId(), row.inReplyTo(), f.reason());
      return outbox.markFailed(row, f.reason());
    }
    DeliveryResult.RetryLater retry = (DeliveryResult.RetryLater) result;
    if (row.attempt() >= MAX_ATTEMPTS) {
      metrics.reply(channel, "failed", took);
      LOG.warn("delivery {} of message {} failed after {} attempts: {}", row.deliveryId(), row.inReplyTo(),
          row.attempt(), retry.reason());
      return outbox.markFailed(row, "gave up after " + row.attempt() + " attempts: " + retry.reason());
    }
    metrics.reply(channel, "retried", took);
    Duration delay = retry.after() != null ? retry.after() : backoff(row.attempt());
    return outbox.retryAfter(row, delay, retry.reason());
  }

  /** 1 s, 2 s, 4 s, ... up to five minutes, with up to 20% jitter. */
  static Duration backoff(int attempt) {
    long base = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempt - 1, 20));
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 5 + 1));
  }
}
