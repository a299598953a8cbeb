package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis is only the hot copy: while it does not answer, readiness says so, and conversations go on from
 * PostgreSQL, more slowly; when it is back, all is as before.
 */
class RedisOutageTest {

  @Test
  void conversationsGoOnWhileRedisIsFrozen() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start("redis-outage", Map.of(), false)) {
      Api api = new Api(gateway);
      assertEquals("What should I add?", api.send("lena", "/todo add").replyText());
      long redis = Long.parseLong(Files.readAllLines(gateway.dataDir().resolve("redis/redis.pid")).get(0).strip());
      signal("STOP", redis); // frozen: connections stay open, nothing answers
      try {
        Api.Answer ready = api.get("/health/ready");
        assertEquals(503, ready.status(), ready.raw().body());
        assertEquals("storage_unavailable", ready.json().getJsonObject("error").getString("code"));
        Api.Answer answer = api.send("lena", "tea");
        assertEquals("Added \"tea\". You have 1 item.", answer.replyText());
        assertEquals("Your list:\n1. tea", api.send("lena", "/todo list").replyText());
      } finally {
        signal("CONT", redis);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (api.get("/health/ready").status() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(200, api.get("/health/ready").status());
      assertEquals("Added \"cake\". You have 2 items.", api.send("lena", "/todo add cake").replyText());
    }
  }

  /** Sends a signal to the gateway's own redis-server, found by the pid file in its data dir. */
  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    kill.waitFor(10, TimeUnit.SECONDS);
    assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid);
  }
}
