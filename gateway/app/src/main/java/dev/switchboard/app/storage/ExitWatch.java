package dev.switchboard.app.storage;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an embedded server when the gateway's JVM ends in any way, {@code kill -9} included. A tiny shell waits
 * on a pipe whose only writer is this JVM; the kernel closes it when the JVM dies, and the shell then signals the
 * server. Nothing polls, so the server stops as soon as the gateway is gone, and a pid the system reuses later is
 * never signalled by a watch that already ended.
 *
 * <p>The shell ignores SIGINT, SIGHUP and SIGTERM: a Ctrl-C in the terminal reaches the whole process group, and
 * the gateway stops its servers itself after draining; the watch must not race it.
 */
final class ExitWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExitWatch.class);
  private static final String SCRIPT = """
      trap '' INT HUP TERM
      read -r line
      kill -"$1" "$2" 2>/dev/null
      """;

  private final Process shell;

  private ExitWatch(Process shell) {
    this.shell = shell;
  }

  /**
   * Watches for the end of this JVM, then sends {@code signal} (a name such as {@code INT}) to {@code pid}.
   * Without a shell the server is only stopped by the gateway's own shutdown (logged, not fatal).
   */
  static ExitWatch signalOnExit(long pid, String signal) {
    try {
      Process shell = new ProcessBuilder(List.of("/bin/sh", "-c", SCRIPT, "exit-watch", signal, Long.toString(pid)))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start(); // its stdin stays an open pipe from this JVM until the JVM ends
      return new ExitWatch(shell);
    } catch (IOException e) {
      LOG.warn("cannot watch for the gateway's end ({}); pid {} would outlive a killed gateway", e.getMessage(), pid);
      return new ExitWatch(null);
    }
  }

  /** Ends the watch without signalling: the gateway stops the server itself. */
  @Override
  public void close() {
    if (shell != null) {
      shell.destroyForcibly(); // SIGKILL: the shell ignores the polite signals
    }
  }
}
