package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Discord's HTTP interactions against the gateway, with Discord's REST API faked on loopback. */
class DiscordChannelTest {
  private static final AtomicInteger IDS = new AtomicInteger(7000);

  @Test
  void signedInteractionsAreAnsweredInTimeOrDeferredAndNeverTwice() throws Exception {
    try (FakeDiscord discord = new FakeDiscord();
         GatewayProcess gateway = GatewayProcess.start("discord", discord.gatewayEnv())) {
      Api api = new Api(gateway);

      // Discord checks the endpoint with a PING, and checks that forged ones are refused
      String ping = new JsonObject().put("id", "1").put("type", 1).put("application_id", FakeDiscord.APPLICATION_ID)
          .put("token", "ping-token").encode();
      Api.Answer pong = api.post("/discord/interactions", ping, discord.signed(ping));
      assertEquals(200, pong.status(), pong.raw().body());
      assertEquals(new JsonObject().put("type", 1), pong.json());
      assertEquals(401, api.post("/discord/interactions", ping, Map.of("Content-Type", "application/json"))
          .status(), "unsigned");
      assertEquals(401, api.post("/discord/interactions", ping,
          FakeDiscord.signed(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), ping)).status(),
          "signed with another key");
      Map<String, String> pingHeaders = discord.signed(ping);
      assertEquals(401, api.post("/discord/interactions", ping.replace("ping-token", "other-token"), pingHeaders)
          .status(), "a signature of another body");

      // /todo add milk, as Discord sends a sub-command with a string option
      JsonObject add = command("U1", "C1", "todo", new JsonArray().add(new JsonObject().put("name", "add")
          .put("type", 1).put("options", new JsonArray().add(new JsonObject().put("name", "item").put("type", 3)
              .put("value", "milk")))));
      assertEquals("Added \"milk\". You have 1 item.", reply(api, discord, add));

      // a reply not ready within Discord's 3 s (another node holds the conversation's shard for 4 s and does not
      // answer) is deferred, then edited into the original response; Discord's first answer is a 429
      gateway.queryOne("WITH taken AS (UPDATE shard_leases SET owner = 'another-node', token = token + 1, "
          + "expires_at = now() + interval '4 seconds' WHERE shard = shard_of('discord:C1:U2') "
          + "RETURNING shard, token) UPDATE shard_fences f SET token = taken.token FROM taken "
          + "WHERE f.shard = taken.shard RETURNING f.token");
      discord.rateLimitNext.set(1);
      JsonObject later = command("U2", "C1", "todo", new JsonArray().add(new JsonObject().put("name", "add")
          .put("type", 1).put("options", new JsonArray().add(new JsonObject().put("name", "item").put("type", 3)
              .put("value", "later")))));
      long start = System.nanoTime();
      Api.Answer deferred = post(api, discord, later);
      assertTrue(System.nanoTime() - start < 3_000_000_000L, "answered within Discord's 3 s");
      assertEquals(5, deferred.json().getInteger("type"), deferred.raw().body());
      String token = later.getString("token");
      JsonObject edit = discord.await("edit", c -> token.equals(c.getString("_token")) && c.getInteger("_status") == 200,
          Duration.ofSeconds(30));
      assertEquals("Added \"later\". You have 1 item.", edit.getString("content"));
      assertEquals(new JsonArray(), edit.getJsonObject("allowed_mentions").getJsonArray("parse"),
          "user text never pings anyone");
      JsonObject limited = discord.calls("edit").stream().filter(c -> token.equals(c.getString("_token"))).findFirst()
          .orElseThrow();
      assertEquals(429, limited.getInteger("_status"));
      assertTrue(edit.getLong("_at") - limited.getLong("_at") >= 1_500_000_000L,
          "retried after Discord's retry_after (1.5 s), not before");

      // every interaction answered exactly once: in the response, or by one successful edit
      Thread.sleep(4000);
      for (JsonObject interaction : new JsonObject[] {add, later}) {
        String t = interaction.getString("token");
        long edits = discord.calls("edit").stream()
            .filter(c -> t.equals(c.getString("_token")) && c.getInteger("_status") == 200).count();
        assertEquals(answeredInResponse.contains(t) ? 0 : 1, edits, t);
      }
      assertEquals(0, discord.calls("followup").size());
    }
  }

  private final java.util.Set<String> answeredInResponse = new java.util.HashSet<>();

  /** The reply's text: in the response when it was ready in time (as it normally is), else the edit after it. */
  private String reply(Api api, FakeDiscord discord, JsonObject interaction) throws Exception {
    Api.Answer answer = post(api, discord, interaction);
    assertEquals(200, answer.status(), answer.raw().body());
    if (answer.json().getInteger("type") == 4) {
      answeredInResponse.add(interaction.getString("token"));
      JsonObject data = answer.json().getJsonObject("data");
      assertEquals(64, data.getInteger("flags"), "seen by the invoking user only");
      return data.getString("content");
    }
    assertEquals(5, answer.json().getInteger("type"));
    String token = interaction.getString("token");
    return discord.await("edit", c -> token.equals(c.getString("_token")), Duration.ofSeconds(30))
        .getString("content");
  }

  private static Api.Answer post(Api api, FakeDiscord discord, JsonObject interaction) throws Exception {
    String body = interaction.encode();
    return api.post("/discord/interactions", body, discord.signed(body));
  }

  /** A slash command as Discord posts it from a server channel. */
  private static JsonObject command(String user, String channel, String name, JsonArray options) {
    int id = IDS.incrementAndGet();
    return new JsonObject().put("id", Integer.toString(id)).put("type", 2)
        .put("application_id", FakeDiscord.APPLICATION_ID).put("token", "interaction-token-" + id)
        .put("channel_id", channel).put("guild_id", "G1")
        .put("member", new JsonObject().put("user", new JsonObject().put("id", user).put("username", "someone")))
        .put("data", new JsonObject().put("id", "900").put("name", name).put("type", 1).put("options", options));
  }
}
