package dev.switchboard.channels;

import io.vertx.core.Future;
import java.util.List;

/**
 * Sends a reply too long for one platform message as several, strictly one after the other: a part goes out
 * only once the one before it was accepted, so they arrive in order, and the first refusal stops the rest.
 */
public final class ChunkedSender {

  /** Sends one part. Never fails the future: failures are {@link DeliveryResult}s. */
  @FunctionalInterface
  public interface Part {
    Future<DeliveryResult> send(String text, boolean first, boolean last);
  }

  private ChunkedSender() {}

  /**
   * Splits {@code text} into parts of at most {@code max} units ({@link TextChunks}) and sends them in order.
   * Answers the last part's {@link DeliveryResult.Delivered}, or the first result that was not a delivery. An
   * empty text sends nothing (platforms refuse empty messages) and counts as delivered.
   */
  public static Future<DeliveryResult> send(String text, int max, Part part) {
    List<String> parts = TextChunks.split(text, max);
    if (parts.isEmpty()) {
      return Future.succeededFuture(new DeliveryResult.Delivered(null));
    }
    return send(parts, 0, part);
  }

  private static Future<DeliveryResult> send(List<String> parts, int index, Part part) {
    boolean last = index == parts.size() - 1;
    return part.send(parts.get(index), index == 0, last).compose(result ->
        last || !(result instanceof DeliveryResult.Delivered) ? Future.succeededFuture(result)
            : send(parts, index + 1, part));
  }
}
