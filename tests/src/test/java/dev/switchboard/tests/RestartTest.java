package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversations survive the gateway being killed: the durable record and the sessions are real. */
class RestartTest {

  @Test
  void afterSigkillTheEmbeddedServersStopByThemselvesAndTheNextStartResumesWithARelativeDataFolder()
      throws Exception {
    // as the README has it: started from some folder with a relative data folder, killed, started again
    try (GatewayProcess gateway = GatewayProcess.startElsewhereWithRelativeDataDir("restart", Map.of())) {
      Api api = new Api(gateway);
      assertEquals("What should I add?", api.send("ivy", "/todo add").replyText());
      // acked (durably recorded) and then the process dies at once
      Api.Answer acked = api.post("/v1/messages?wait=0", new JsonObject().put("id", "acked-before-kill")
          .put("sender", new JsonObject().put("id", "jack")).put("text", "/todo add survive the crash").encode(),
          Map.of());
      assertEquals(202, acked.status());
      long postgres = gateway.postgresPid();
      long redis = gateway.redisPid();

      gateway.kill(); // SIGKILL: no shutdown hook runs
      awaitGone(postgres, "the embedded PostgreSQL");
      awaitGone(redis, "the embedded Redis");
      gateway.restart(); // same folder, same relative data folder

      Api.Answer answer = api.send("ivy", "pick up the parcel");
      assertEquals("Added \"pick up the parcel\". You have 1 item.", answer.replyText());
      assertEquals("active", answer.json().getJsonObject("route").getString("reason"));
      assertEquals("Your list:\n1. pick up the parcel", api.send("ivy", "/todo list").replyText());

      Api.Answer recovered = pollDone(api, "/v1/messages/acked-before-kill");
      assertEquals("Added \"survive the crash\". You have 1 item.", recovered.replyText());
      assertEquals("Your list:\n1. survive the crash", api.send("jack", "/todo list").replyText());
      assertTrue(Files.isDirectory(gateway.dataDir().resolve("postgres")), "the data is in ../data");
    }
  }

  /** The embedded servers stop by themselves within seconds of their gateway's death. */
  private static void awaitGone(long pid, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertTrue(System.nanoTime() < deadline, what + " (pid " + pid + ") outlived its gateway by 10 s");
      Thread.sleep(100);
    }
  }

  @Test
  void aSecondGatewayOnTheSameDataFolderIsRefusedAtOnceAndTheFirstKeepsServing() throws Exception {
    try (GatewayProcess first = GatewayProcess.start("data-folder-lock",
        Map.of("SWITCHBOARD_INFERENCE_MODEL", "none"))) {
      Path jar = Path.of(System.getProperty("switchboard.jar", "../gateway/app/target/switchboard.jar"));
      ProcessBuilder second = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "-jar", jar.toAbsolutePath().toString()).redirectErrorStream(true);
      second.environment().put("SWITCHBOARD_DATA_DIR", first.dataDir().toString());
      second.environment().put("SWITCHBOARD_HTTP_PORT", "0");
      second.environment().put("SWITCHBOARD_INFERENCE_MODEL", "none");
      long started = System.nanoTime();
      Process process = second.start();
      String output = new String(process.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the second gateway did not stop");
      assertEquals(1, process.exitValue(), output);
      assertTrue(output.contains("is in use by the gateway with pid " + first.pid()), output);
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "refused at once, not after a wait");
      // the first one's embedded servers were left alone: it still answers
      assertEquals(200, new Api(first).send("still-here", "/help").status());
    }
  }

  @Test
  void sigtermStopsCleanlyAndStopsEmbeddedServers() throws Exception {
    GatewayProcess gateway = GatewayProcess.start("sigterm", Map.of());
    Api api = new Api(gateway);
    assertEquals(200, api.send("kim", "/help").status());
    Path postmasterPid = gateway.dataDir().resolve("postgres/postmaster.pid");
    Path redisPid = gateway.dataDir().resolve("redis/redis.pid");
    boolean embedded = System.getenv("SWITCHBOARD_TEST_POSTGRES_URL") == null;
    long redis = embedded ? Long.parseLong(Files.readAllLines(redisPid).get(0).strip()) : -1;

    int exit = gateway.terminate(Duration.ofSeconds(60));
    assertTrue(exit == 143 || exit == 0, "stopped by SIGTERM within a minute, exit " + exit);
    assertTrue(gateway.stderr().contains("stopped"), gateway.stderr());
    if (embedded) {
      assertFalse(Files.exists(postmasterPid), "PostgreSQL shut down and removed its pid file");
      assertFalse(ProcessHandle.of(redis).map(ProcessHandle::isAlive).orElse(false), "redis-server stopped");
    }
  }

  private static Api.Answer pollDone(Api api, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Api.Answer answer = api.get(path);
      if (answer.status() == 200 && !"accepted".equals(answer.json().getString("status"))) {
        return answer;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " was not handled after the restart");
  }
}
