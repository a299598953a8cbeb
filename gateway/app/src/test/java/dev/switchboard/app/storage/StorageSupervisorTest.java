package dev.switchboard.app.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Restarts with back-off, and the point where the node gives up on recovering by itself. */
class StorageSupervisorTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A server whose process can be "killed", and whose next {@code failures} restarts fail. */
  private static final class FakeServer implements EmbeddedServer {
    boolean alive = true;
    int failures;
    int restarts;

    @Override
    public String name() {
      return "Fake";
    }

    @Override
    public boolean alive() {
      return alive;
    }

    @Override
    public void restart() throws IOException {
      restarts++;
      if (failures > 0) {
        failures--;
        throw new IOException("port taken");
      }
      alive = true;
    }

    @Override
    public void close() {
      alive = false;
    }
  }

  @Test
  void aLiveServerIsLeftAlone() {
    FakeServer server = new FakeServer();
    StorageSupervisor supervisor = new StorageSupervisor(vertx, List.of(server), Duration.ofMinutes(2));
    supervisor.checkAll();
    assertEquals(0, server.restarts);
    assertTrue(supervisor.unrecoverable().isEmpty());
  }

  @Test
  void aDeadServerIsRestartedAtOnce() {
    FakeServer server = new FakeServer();
    StorageSupervisor supervisor = new StorageSupervisor(vertx, List.of(server), Duration.ofMinutes(2));
    server.alive = false;
    supervisor.checkAll();
    assertEquals(1, server.restarts);
    assertTrue(server.alive);
    supervisor.checkAll();
    assertEquals(1, server.restarts, "not restarted again once it runs");
  }

  @Test
  void failedRestartsBackOffAndPastTheLimitTheNodeCannotRecoverUntilOneWorks() throws Exception {
    FakeServer server = new FakeServer();
    StorageSupervisor supervisor = new StorageSupervisor(vertx, List.of(server), Duration.ofMillis(300));
    server.alive = false;
    server.failures = 2;
    supervisor.checkAll(); // fails; the next try in 1 s
    supervisor.checkAll(); // too soon: no try
    assertEquals(1, server.restarts);
    assertTrue(supervisor.unrecoverable().isEmpty(), "within the limit");
    Thread.sleep(400);
    assertTrue(supervisor.unrecoverable().orElseThrow().contains("embedded Fake has not restarted"));

    Thread.sleep(700);
    supervisor.checkAll(); // 1 s later: fails again; the next try in 2 s
    assertEquals(2, server.restarts);
    Thread.sleep(1100);
    supervisor.checkAll();
    assertEquals(2, server.restarts, "the back-off doubled");
    Thread.sleep(1000);
    supervisor.checkAll();
    assertEquals(3, server.restarts);
    assertTrue(server.alive);
    assertTrue(supervisor.unrecoverable().isEmpty(), "recovered");
  }

  @Test
  void afterStopNothingIsRestarted() {
    FakeServer server = new FakeServer();
    StorageSupervisor supervisor = new StorageSupervisor(vertx, List.of(server), Duration.ofMinutes(2));
    supervisor.stop();
    server.alive = false;
    supervisor.checkAll();
    assertEquals(0, server.restarts);
    assertFalse(server.alive);
  }
}
