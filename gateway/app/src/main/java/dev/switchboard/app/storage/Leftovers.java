package dev.switchboard.app.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops embedded servers that an earlier gateway left running (it was killed with SIGKILL, so its shutdown
 * path never ran). They are found through the pid files they write under the data directory, and only a
 * process whose command is the expected server is stopped.
 */
final class Leftovers {
  private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

  private Leftovers() {}

  /**
   * Stops the process named in the first line of {@code pidFile} if it is alive, its command contains
   * {@code commandHint} and its command line contains {@code argumentHint} (so a reused pid of some other
   * server is left alone): first politely (SIGTERM), then by force after {@code grace}.
   */
  static void stop(Path pidFile, String commandHint, String argumentHint, Duration grace) {
    Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().command().map(c -> c.contains(commandHint)).orElse(false))
        .filter(p -> p.info().commandLine().map(c -> c.contains(argumentHint)).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    ProcessHandle handle = process.get();
    LOG.warn("stopping {} (pid {}) left running by an earlier gateway", commandHint, handle.pid());
    stopProcess(handle, grace);
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. */
  static void stopProcess(ProcessHandle handle, Duration grace) {
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} (pid {}) did not stop within {}; killing it", handle.info().command().orElse("process"),
          handle.pid(), grace);
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // it is gone or beyond our reach; start-up will report the port or lock it holds
      }
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
