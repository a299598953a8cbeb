package dev.switchboard.spi;

/** Inference could not answer: no model, the model failed, or the LLM endpoint refused or timed out. */
public class InferenceException extends Exception {
  /** @param message what went wrong, fit to log (never the user's text) */
  public InferenceException(String message) {
    super(message);
  }

  /** @param message what went wrong @param cause the underlying failure */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
