package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sample plugins of {@code skills/examples}, built by their own POMs, dropped into a running gateway the
 * way skills/README.md says: a stateless one, and a multi-turn one whose game survives a restart.
 */
class SamplePluginsTest {

  @Test
  void theSamplesWorkAsTheGuideSaysAndAGameSurvivesARestart() throws Exception {
    Path examples = Path.of(System.getProperty("switchboard.examples", "target/example-plugins"));
    try (GatewayProcess gateway = GatewayProcess.start("samples", Map.of(), true, """
        skills:
          config:
            guess:
              max: 16
        """)) {
      Api api = new Api(gateway);
      Path plugins = gateway.workDir().resolve("plugins"); // the default skills.dir, created at start
      assertTrue(Files.isDirectory(plugins));
      for (String jar : new String[] {"dice-skill-1.0.0.jar", "guess-skill-1.0.0.jar"}) {
        // copy under a dot-name, then rename: the gateway never sees a half-written JAR
        Path hidden = plugins.resolve("." + jar);
        Files.copy(examples.resolve(jar), hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.move(hidden, plugins.resolve(jar), StandardCopyOption.ATOMIC_MOVE);
      }
      awaitActive(api, "dice", "guess");
      JsonObject guessEntry = entry(api, "guess");
      assertEquals("1.0.0", guessEntry.getString("version"));
      assertEquals(new JsonArray().add("/guess"), guessEntry.getJsonArray("commands"));

      Api.Answer roll = api.send("dora", "/roll 2d6");
      assertTrue(roll.replyText().matches("🎲 2d6: [1-6] \\+ [1-6] = \\d+"), roll.replyText());
      assertEquals("dice", api.send("dora", "can you roll the dice").json().getJsonObject("route").getString("skill"));

      assertEquals("I'm thinking of a number between 1 and 16. Your guess?", api.send("gus", "/guess").replyText());
      Api.Answer notANumber = api.send("gus", "hmm");
      assertTrue(notANumber.replyText().startsWith("That's not a number."), notANumber.replyText());
      assertEquals("active", notANumber.json().getJsonObject("route").getString("reason"));

      gateway.kill();
      gateway.restart(); // the game is in the session (PostgreSQL), the plugin is loaded again from the folder

      int low = 1;
      int high = 16;
      String answer;
      while (true) {
        int mid = (low + high) / 2;
        Api.Answer next = api.send("gus", "is it " + mid + "?");
        assertEquals("active", next.json().getJsonObject("route").getString("reason"), next.raw().body());
        answer = next.replyText();
        if (answer.contains("Got it")) {
          break;
        }
        assertTrue(low < high, "the range closed without a win: " + answer);
        if (answer.startsWith("Higher")) {
          low = mid + 1;
        } else if (answer.startsWith("Lower")) {
          high = mid - 1;
        } else {
          throw new AssertionError("unexpected answer: " + answer);
        }
      }
      assertEquals("fallback", api.send("gus", "42").json().getJsonObject("route").getString("reason"),
          "the game let go of the conversation");
    }
  }

  private static void awaitActive(Api api, String... names) throws Exception {
    long deadline = System.nanoTime() + 8_000_000_000L;
    for (String name : names) {
      while (entry(api, name) == null) {
        assertTrue(System.nanoTime() < deadline, name + " not active: " + api.get("/admin/skills").json());
        Thread.sleep(100);
      }
    }
  }

  private static JsonObject entry(Api api, String name) throws Exception {
    return api.get("/admin/skills").json().getJsonArray("skills").stream().map(JsonObject.class::cast)
        .filter(s -> name.equals(s.getString("name")) && "active".equals(s.getString("state")))
        .findFirst().orElse(null);
  }
}
