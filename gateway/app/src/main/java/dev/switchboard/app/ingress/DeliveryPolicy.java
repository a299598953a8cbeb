package dev.switchboard.app.ingress;

import dev.switchboard.spi.ChannelId;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How a message's replies reach the sender, decided at admission by its channel: delivered through the channel
 * (after {@code hold}, during which the channel may still put them in its HTTP answer), or not at all because
 * the caller reads them back through the API.
 */
public record DeliveryPolicy(boolean needsDelivery, Duration hold) {
  /** Replies go through the channel at once. */
  public static final DeliveryPolicy DELIVER = new DeliveryPolicy(true, Duration.ZERO);

  /** Finds the policy for a message of a channel and its reply address. */
  @FunctionalInterface
  public interface Resolver {
    DeliveryPolicy of(ChannelId channel, JsonObject replyAddress);
  }
}
