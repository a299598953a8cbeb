package dev.switchboard.channels;

import java.time.Duration;

/** What happened to one delivery attempt. */
public sealed interface DeliveryResult {

  /** The platform accepted the reply. */
  record Delivered(String platformMessageId) implements DeliveryResult {}

  /** A transient failure (429, 5xx, network): try again after {@code after}, or later if {@code null}. */
  record RetryLater(Duration after, String reason) implements DeliveryResult {}

  /** A permanent failure (blocked, not found, invalid): recorded, never retried. */
  record Failed(String reason) implements DeliveryResult {}
}
