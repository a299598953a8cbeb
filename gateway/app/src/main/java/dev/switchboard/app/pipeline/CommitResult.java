package dev.switchboard.app.pipeline;

/** What PostgreSQL said to one turn's commit ({@code complete_turns}). */
enum CommitResult {
  /** Committed: the session, the message's outcome and its replies. */
  OK,
  /** Nothing written: the shard was taken by another node since the turn started (its fence moved on). */
  FENCED,
  /** Nothing written: the message was handled meanwhile. */
  HANDLED,
  /** Nothing written: the session moved past the version the turn read. */
  CONFLICT,
  /** Nothing written: an older message of the conversation still waits (its hand-off to this node was lost). */
  BEHIND;

  static CommitResult of(String outcome) {
    return switch (outcome) {
      case "ok" -> OK;
      case "fenced" -> FENCED;
      case "handled" -> HANDLED;
      case "conflict" -> CONFLICT;
      case "behind" -> BEHIND;
      default -> throw new IllegalArgumentException("unknown commit outcome " + outcome);
    };
  }
}
