package dev.switchboard.app.skills;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts what one loaded skill did and quarantines it (a circuit breaker) after {@code failuresToQuarantine}
 * failures in a row: while quarantined the skill is not called and its messages get a short apology. When the
 * quarantine ends one message is let through as a trial; a success lifts it, a failure starts it again.
 * A new version of the skill starts with fresh counts.
 */
public final class SkillHealth {
  /** When a skill is quarantined and for how long. */
  public record Policy(int failuresToQuarantine, Duration quarantine) {}

  private final Policy policy;
  private final Clock clock;
  private long handled;
  private long failed;
  private long timedOut;
  private long refused;
  private int failuresInARow;
  private Instant quarantinedUntil;
  private boolean trialRunning;
  private String lastError;

  public SkillHealth(Policy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * {@code true} when the skill may be called now. During a quarantine answers {@code false}; once it is over,
   * answers {@code true} for one trial call at a time.
   */
  public synchronized boolean admit() {
    if (quarantinedUntil == null) {
      return true;
    }
    if (trialRunning || clock.instant().isBefore(quarantinedUntil)) {
      refused++;
      return false;
    }
    trialRunning = true;
    return true;
  }

  public synchronized void succeeded() {
    handled++;
    failuresInARow = 0;
    quarantinedUntil = null;
    trialRunning = false;
  }

  /** Records a failure; {@code timeout} tells a skill that did not answer in time from one that threw. */
  public synchronized void failed(boolean timeout, String error) {
    if (timeout) {
      timedOut++;
    } else {
      failed++;
    }
    lastError = error;
    failuresInARow++;
    if (trialRunning || failuresInARow >= policy.failuresToQuarantine()) {
      quarantinedUntil = clock.instant().plus(policy.quarantine());
      trialRunning = false;
    }
  }

  /** A call that never reached the skill (no free slot): lets a trial go without counting it. */
  public synchronized void notRun() {
    trialRunning = false;
  }

  /** {@code true} while quarantined, including when a trial is due. */
  public synchronized boolean quarantined() {
    return quarantinedUntil != null;
  }

  /** What {@code /admin/skills} shows. */
  public synchronized Snapshot snapshot() {
    boolean quarantined = quarantinedUntil != null;
    return new Snapshot(handled, failed, timedOut, refused, quarantined,
        quarantined ? quarantinedUntil : null, lastError);
  }

  /** The counts at one moment; {@code quarantinedUntil} is set while quarantined (a trial may be due). */
  public record Snapshot(long handled, long failed, long timedOut, long refused, boolean quarantined,
      Instant quarantinedUntil, String lastError) {}
}
