package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;
import java.util.function.IntToLongFunction;

/** Own: a message is worked only while this node holds its shard; the fencing token goes with the turn. */
final class OwnStage {
  private final IntToLongFunction fence;

  /** @param fence the token this node holds a shard with, 0 when it does not hold it (a read of memory) */
  OwnStage(IntToLongFunction fence) {
    this.fence = fence;
  }

  /** The owned message, or {@code null} when another node works its shard. */
  OwnedMessage apply(PendingMessage message) {
    long token = fence.applyAsLong(message.shard());
    return token == 0 ? null : new OwnedMessage(message, message.shard(), token);
  }
}
