package dev.switchboard.channels;

import dev.switchboard.spi.ChannelId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * One channel, as the gateway sees it: the routes it serves, and how it delivers replies.
 */
public interface ChannelAdapter {

  /** The channel's id. */
  ChannelId id();

  /** Adds the channel's HTTP routes. Called once per HTTP server instance. */
  void mount(Router router);

  /**
   * Whether replies to this address go through {@link #deliver}. A reply the caller reads back through the API
   * needs no delivery and is recorded as delivered at once.
   */
  default boolean needsDelivery(JsonObject replyAddress) {
    return true;
  }

  /**
   * How long replies to this address wait before delivery: a channel that may still put them in its HTTP answer
   * (a Slack slash command's 3 s) holds them, then marks them delivered ({@link InboundGateway#markRepliedInline}).
   */
  default java.time.Duration deliveryHold(JsonObject replyAddress) {
    return java.time.Duration.ZERO;
  }

  /** Delivers one reply. Never fails the future: failures are {@link DeliveryResult}s. */
  Future<DeliveryResult> deliver(Outbound outbound);

  /** One line for the start-up banner, such as {@code webhook (POST /v1/messages)}. */
  String describe();

  /** Starts background work (polling, registering a webhook); called once the HTTP routes are served. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /** Why the channel is not healthy now (platform unreachable, polling stalled), or {@code null} when it is. */
  default String problem() {
    return null;
  }

  /** Stops background work; called on shutdown. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
