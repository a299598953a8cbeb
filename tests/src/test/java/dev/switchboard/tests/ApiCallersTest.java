package dev.switchboard.tests;

import static dev.switchboard.tests.FakeIdentityProvider.bearer;
import static dev.switchboard.tests.FakeIdentityProvider.claims;
import static dev.switchboard.tests.FakeIdentityProvider.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.tests.FakeIdentityProvider.Key;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API callers with JWTs from an identity provider (its JWKS on loopback) and with named static tokens: forged,
 * expired, misaddressed and unsigned tokens refused, scopes enforced, and each caller kept in its own namespace.
 */
class ApiCallersTest {
  private static final String SEND = "messages:send";
  private static final String CI_TOKEN = "ci-token-not-a-secret";

  @Test
  void jwtAndTokenCallersAreCheckedAndKeptApart() throws Exception {
    try (FakeIdentityProvider idp = new FakeIdentityProvider()) {
      Key rsa = FakeIdentityProvider.rsaKey("rsa-1");
      Key ec = FakeIdentityProvider.ecKey("ec-1");
      idp.publish(rsa);
      idp.publish(ec);
      try (GatewayProcess gateway = GatewayProcess.start("callers", Map.of(
          "SWITCHBOARD_AUTH_JWT_JWKS_URL", idp.jwksUrl(),
          "SWITCHBOARD_AUTH_JWT_ISSUER", FakeIdentityProvider.ISSUER,
          "SWITCHBOARD_AUTH_JWT_AUDIENCE", FakeIdentityProvider.AUDIENCE,
          "SWITCHBOARD_CHANNELS_WEBHOOK_TOKENS", "ci:" + CI_TOKEN))) {
        long started = System.nanoTime();
        Api api = new Api(gateway);
        assertTrue(gateway.stdout().contains("webhook (POST /v1/messages, bearer token or JWT)"), gateway.stdout());
        String alice = sign(rsa, claims("alice", SEND));
        String bob = sign(ec, claims("bob", "profile " + SEND));

        // with JWT configured, no caller is trusted for being on this machine
        assertError(api.post("/v1/messages", "{\"sender\":{\"id\":\"alice\"},\"text\":\"hi\"}", Map.of()),
            401, "unauthenticated");

        // a caller is its token's subject, and that is its sender
        Api.Answer first = api.post("/v1/messages", "{\"id\":\"m-1\",\"text\":\"/todo add\"}", bearer(alice));
        assertEquals(200, first.status(), first.raw().body());
        assertEquals("m-1", first.json().getString("id"));
        assertEquals("alice", first.json().getString("conversation"));
        assertEquals("What should I add?", replyText(first));
        assertError(api.post("/v1/messages", "{\"sender\":{\"id\":\"bob\"},\"text\":\"hi\"}", bearer(alice)),
            403, "forbidden");

        // bob's "m-1" is his own message, and his conversation "alice" is not alice's
        Api.Answer bobs = api.post("/v1/messages", "{\"id\":\"m-1\",\"conversation\":\"alice\",\"text\":\"milk\"}",
            bearer(bob));
        assertEquals(200, bobs.status(), bobs.raw().body());
        assertNull(bobs.json().getValue("duplicate"), "not a repeat of alice's m-1");
        assertNotEquals("active", bobs.json().getJsonObject("route").getString("reason"),
            "alice's to-do is not waiting in bob's conversation: " + bobs.raw().body());
        Api.Answer alices = api.post("/v1/messages", "{\"text\":\"milk\"}", bearer(alice));
        assertEquals("Added \"milk\". You have 1 item.", replyText(alices));
        assertEquals("2", gateway.queryOne("SELECT count(*) FROM inbound_messages WHERE message_id LIKE '%/m-1'"));

        // each reads only its own messages
        assertEquals("What should I add?", replyText(get(api, "/v1/messages/m-1", alice)));
        assertEquals(bobs.json().getJsonArray("replies"), get(api, "/v1/messages/m-1", bob).json()
            .getJsonArray("replies"));
        assertError(get(api, "/v1/messages/m-1", CI_TOKEN), 404, "not_found");

        // a named static token is a caller too
        Api.Answer ci = api.post("/v1/messages", "{\"text\":\"/help\"}", bearer(CI_TOKEN));
        assertEquals(200, ci.status(), ci.raw().body());
        assertEquals("ci", ci.json().getString("conversation"));

        // what an attacker would try
        long now = Instant.now().getEpochSecond();
        Key unpublished = FakeIdentityProvider.rsaKey("rsa-1");
        Map<String, String> refused = Map.of(
            "expired", sign(rsa, claims("alice", SEND).put("iat", now - 900).put("exp", now - 600)),
            "another audience", sign(rsa, claims("alice", SEND).put("aud", "another-api")),
            "another issuer", sign(rsa, claims("alice", SEND).put("iss", "https://evil.example.test/")),
            "forged with the key id of a real key", sign(unpublished, claims("alice", SEND)),
            "unsigned", FakeIdentityProvider.unsigned(claims("alice", SEND)),
            "without expiry", sign(rsa, withoutExpiry(claims("alice", SEND))),
            "not a token", "a.b.c");
        for (Map.Entry<String, String> token : refused.entrySet()) {
          Api.Answer answer = api.post("/v1/messages", "{\"text\":\"hi\"}", bearer(token.getValue()));
          assertEquals(401, answer.status(), token.getKey() + ": " + answer.raw().body());
          assertEquals("unauthenticated", answer.json().getJsonObject("error").getString("code"), token.getKey());
        }
        assertError(api.post("/v1/messages", "{\"text\":\"hi\"}", bearer(sign(rsa, claims("alice", "profile")))),
            403, "forbidden");

        // a sending token never opens the admin API; an admin-scoped one does, as does the admin token
        String ops = sign(rsa, claims("ops", "admin"));
        for (String path : new String[] {"/admin/skills", "/metrics"}) {
          assertError(get(api, path, alice), 403, "forbidden");
          assertError(get(api, path, CI_TOKEN), 401, "unauthenticated");
          assertEquals(200, get(api, path, ops).status(), path);
          assertEquals(200, api.get(path).status(), path);
        }
        assertError(api.post("/v1/messages", "{\"text\":\"hi\"}", bearer(ops)), 403, "forbidden");

        // a key published after the start is fetched when a token names it (at most every 10 s)
        Thread.sleep(Math.max(0, 11_000 - (System.nanoTime() - started) / 1_000_000));
        Key rotated = FakeIdentityProvider.rsaKey("rsa-2");
        idp.publish(rotated);
        Api.Answer carol = api.post("/v1/messages", "{\"text\":\"/help\"}", bearer(sign(rotated, claims("carol", SEND))));
        assertEquals(200, carol.status(), carol.raw().body());
        int fetches = idp.fetches();
        for (int i = 0; i < 20; i++) {
          Key unknown = FakeIdentityProvider.ecKey("unknown-" + i);
          assertEquals(401, api.post("/v1/messages", "{\"text\":\"hi\"}", bearer(sign(unknown, claims("eve", SEND))))
              .status());
        }
        assertEquals(fetches, idp.fetches(), "unknown key ids do not make the gateway hammer the key server");
      }
    }
  }

  private static Api.Answer get(Api api, String path, String token) throws Exception {
    return api.send(HttpRequest.newBuilder(api.uri(path)).header("Authorization", "Bearer " + token).build());
  }

  private static io.vertx.core.json.JsonObject withoutExpiry(io.vertx.core.json.JsonObject claims) {
    claims.remove("exp");
    return claims;
  }

  private static String replyText(Api.Answer answer) {
    return answer.json().getJsonArray("replies").getJsonObject(0).getString("text");
  }

  private static void assertError(Api.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.raw().body());
    assertEquals(code, answer.json().getJsonObject("error").getString("code"), answer.raw().body());
  }
}
