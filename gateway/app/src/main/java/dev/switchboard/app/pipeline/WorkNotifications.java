package dev.switchboard.app.pipeline;

import dev.switchboard.app.batch.GroupCommit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the node that owns a shard that a message for it was recorded elsewhere (PostgreSQL {@code NOTIFY} on
 * {@link #CHANNEL}, payload: shard numbers). Only messages admitted by a node that does not own their shard pay
 * for it, and notifications of one moment share a statement. Best effort: the owner's periodic sweep finds
 * what a lost notification would have announced.
 */
final class WorkNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(WorkNotifications.class);
  static final String CHANNEL = "switchboard_work";
  private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final GroupCommit<Integer, Void> outgoing;
  private PgSubscriber subscriber;

  WorkNotifications(Vertx vertx, Pool pg, PgConnectOptions connectOptions) {
    this.vertx = vertx;
    this.connectOptions = connectOptions;
    this.outgoing = new GroupCommit<>(vertx, "notifications", new GroupCommit.Limits(256, 2, 10_000), shards -> {
      String payload = String.join(",", new HashSet<>(shards).stream().map(String::valueOf).toList());
      return pg.preparedQuery(NOTIFY).execute(Tuple.of(payload))
          .map(rows -> new ArrayList<Void>(Collections.nCopies(shards.size(), null)));
    });
  }

  Future<Void> notifyOwner(int shard) {
    return outgoing.submit(shard);
  }

  /**
   * Listens for work announced for shards, and for conversations erased on any node; the handlers run on the
   * caller's context.
   */
  Future<Void> listen(Consumer<Set<Integer>> onWork, Consumer<String> onErased) {
    subscriber = PgSubscriber.subscriber(vertx, connectOptions)
        .reconnectPolicy(retries -> retries < 1_000_000 ? 1_000L : -1L);
    subscriber.channel(CHANNEL).handler(payload -> onWork.accept(parse(payload)));
    subscriber.channel(ConversationEraser.CHANNEL).handler(onErased::accept);
    return subscriber.connect().recover(e -> {
      LOG.warn("not listening for work recorded by other nodes (the sweep still finds it): {}", e.toString());
      return Future.succeededFuture();
    });
  }

  Future<Void> close() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  private static Set<Integer> parse(String payload) {
    Set<Integer> shards = new HashSet<>();
    for (String part : payload.split(",")) {
      try {
        shards.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        // not ours to read
      }
    }
    return shards;
  }
}
