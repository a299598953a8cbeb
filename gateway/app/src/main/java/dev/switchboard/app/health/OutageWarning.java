package dev.switchboard.app.health;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * One warning per outage, not one per message: the first failure is a warning, the ones after it are debug lines
 * until something answers again, which is said once.
 */
public final class OutageWarning {
  private final Logger log;
  private final String what;
  private final AtomicBoolean down = new AtomicBoolean();

  /**
   * @param log where to write
   * @param what what fails, as the start of a sentence: {@code "Redis"}, {@code "storage"}
   */
  public OutageWarning(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** A failure; {@code consequence} says what the gateway does meanwhile. */
  public void failed(Throwable failure, String consequence) {
    if (down.compareAndSet(false, true)) {
      log.warn("{} does not answer ({}); {} until it does (one warning per outage)", what, failure.toString(),
          consequence);
    } else {
      log.debug("{} still does not answer: {}", what, failure.toString());
    }
  }

  /** A success: ends the outage, if there was one. */
  public void answered() {
    if (down.get() && down.compareAndSet(true, false)) {
      log.info("{} answers again", what);
    }
  }
}
