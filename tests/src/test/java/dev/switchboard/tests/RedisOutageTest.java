package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis is only the hot copy: while it does not answer, the node stays ready and says it is degraded, and
 * conversations go on from PostgreSQL, more slowly; when it is back, all is as before.
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
        // Redis is a cache: the node still serves, from PostgreSQL, and says it is degraded
        assertEquals(200, ready.status(), ready.raw().body());
        assertEquals("degraded", ready.json().getString("status"));
        assertEquals("cache_unavailable", ready.json().getJsonObject("degraded").getString("code"));
        Api.Answer answer = api.send("lena", "tea");
        assertEquals("Added \"tea\". You have 1 item.", answer.replyText());
        assertEquals("Your list:\n1. tea", api.send("lena", "/todo list").replyText());
      } finally {
        signal("CONT", redis);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!"ready".equals(api.get("/health/ready").json().getString("status")) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertEquals("ready", api.get("/health/ready").json().getString("status"));
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
