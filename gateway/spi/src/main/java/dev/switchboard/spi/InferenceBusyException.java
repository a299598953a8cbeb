package dev.switchboard.spi;

/**
 * Inference refused a request at once because its queue is full. Nothing was computed; trying again later may
 * succeed. Refusing keeps memory bounded under overload instead of queueing without limit.
 */
public final class InferenceBusyException extends InferenceException {
  /** @param message which queue was full, and its limit */
  public InferenceBusyException(String message) {
    super(message);
  }
}
