package dev.switchboard.app.outbox;

import dev.switchboard.app.pipeline.PipelineAddresses;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.Outbound;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox rows through their channel: claims due rows in batches, delivers each conversation's replies
 * in order, and records the outcome. Transient failures are retried with exponential backoff (or the
 * platform's own {@code Retry-After}) up to {@link #MAX_ATTEMPTS}; permanent ones are recorded as failed.
 */
public final class OutboxDispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcherVerticle.class);
  static final int MAX_ATTEMPTS = 10;
  private static final int BATCH = 64;
  private static final long POLL_MS = 1000;
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final OutboxStore outbox;
  private final Map<String, ChannelAdapter> channels;
  private MessageConsumer<Object> consumer;
  private long timer;
  private boolean polling;
  private boolean pollAgain;
  private boolean stopping;

  public OutboxDispatcherVerticle(OutboxStore outbox, Map<String, ChannelAdapter> channels) {
    this.outbox = outbox;
    this.channels = channels;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(PipelineAddresses.OUTBOX_READY, msg -> poll());
    timer = vertx.setPeriodic(POLL_MS, id -> poll());
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return consumer.unregister();
  }

  /** Claims and delivers due rows until none are left; coalesces calls that come in meanwhile. */
  private void poll() {
    if (stopping) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    pollAgain = false;
    outbox.claimDue(BATCH)
        .compose(rows -> deliverAll(rows).map(rows.size()))
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            LOG.warn("outbox delivery round failed: {}", ar.cause().toString());
          } else if (ar.result() == BATCH || pollAgain) {
            poll();
          }
        });
  }

  private Future<Void> deliverAll(List<Outbound> rows) {
    Map<String, List<Outbound>> byConversation = new LinkedHashMap<>();
    for (Outbound row : rows) {
      byConversation.computeIfAbsent(row.conversation().asString(), k -> new ArrayList<>()).add(row);
    }
    List<Future<Void>> lanes = new ArrayList<>();
    byConversation.values().forEach(list -> lanes.add(deliverInOrder(list, 0)));
    return Future.join(lanes).mapEmpty();
  }

  /** Delivers one conversation's rows in order; when one must wait, the rest wait with it. */
  private Future<Void> deliverInOrder(List<Outbound> rows, int index) {
    if (index >= rows.size()) {
      return Future.succeededFuture();
    }
    Outbound row = rows.get(index);
    return deliver(row).compose(delay -> {
      if (delay == null) {
        return deliverInOrder(rows, index + 1);
      }
      List<Future<Void>> held = new ArrayList<>();
      for (Outbound later : rows.subList(index + 1, rows.size())) {
        held.add(outbox.retryAfter(later.deliveryId(), delay, "waiting for an earlier reply"));
      }
      return Future.join(held).mapEmpty();
    });
  }

  /** Delivers one row; answers the delay before the conversation's next try, or {@code null} to go on. */
  private Future<Duration> deliver(Outbound row) {
    ChannelAdapter channel = channels.get(row.conversation().channel().value());
    if (channel == null) {
      return outbox.retryAfter(row.deliveryId(), OutboxStore.LEASE, "channel is not enabled on this node")
          .map(OutboxStore.LEASE);
    }
    return channel.deliver(row)
        .otherwise(e -> new DeliveryResult.RetryLater(null, e.toString()))
        .compose(result -> record(row, result));
  }

  private Future<Duration> record(Outbound row, DeliveryResult result) {
    if (result instanceof DeliveryResult.Delivered d) {
      return outbox.markDelivered(row.deliveryId(), d.platformMessageId()).map((Duration) null);
    }
    if (result instanceof DeliveryResult.Failed f) {
      LOG.warn("delivery {} of message {} failed: {}", row.deliveryId(), row.inReplyTo(), f.reason());
      return outbox.markFailed(row.deliveryId(), f.reason()).map((Duration) null);
    }
    DeliveryResult.RetryLater retry = (DeliveryResult.RetryLater) result;
    if (row.attempt() >= MAX_ATTEMPTS) {
      LOG.warn("delivery {} of message {} failed after {} attempts: {}", row.deliveryId(), row.inReplyTo(),
          row.attempt(), retry.reason());
      return outbox.markFailed(row.deliveryId(), "gave up after " + row.attempt() + " attempts: " + retry.reason())
          .map((Duration) null);
    }
    Duration delay = retry.after() != null ? retry.after() : backoff(row.attempt());
    return outbox.retryAfter(row.deliveryId(), delay, retry.reason()).map(delay);
  }

  /** 1 s, 2 s, 4 s, ... up to five minutes, with up to 20% jitter. */
  static Duration backoff(int attempt) {
    long base = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempt - 1, 20));
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 5 + 1));
  }
}
