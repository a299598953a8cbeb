package dev.switchboard.spi;

/**
 * The id of one inbound message, unique within its channel. For the webhook channel it is the caller's
 * {@code id} (or {@code Idempotency-Key}), else one the gateway generated, in the namespace of the caller that
 * sent it.
 *
 * @param value 1 to 384 characters, no control characters
 */
public record MessageId(String value) {
  /** Longest accepted id. */
  public static final int MAX_LENGTH = 384;

  public MessageId {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("message id must be 1-" + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("message id must not contain control characters");
      }
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
