package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request gets the right 4xx with a JSON error, and nothing it carried is stored: the gateway
 * runs with bearer tokens here, as it would on a public address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest {
  private static final String TOKEN = "test-token-not-a-secret";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
  private GatewayProcess gateway;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayProcess.start("malformed", Map.of("SWITCHBOARD_CHANNELS_WEBHOOK_TOKENS", "other-token,m:" + TOKEN));
    api = new Api(gateway);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
  }

  static Stream<Arguments> badBodies() {
    String ok = "{\"sender\":{\"id\":\"m\"},";
    return Stream.of(
        Arguments.of("invalid JSON", "{\"sender\":", 400, "invalid_json", null),
        Arguments.of("empty body", "", 400, "invalid_json", null),
        Arguments.of("array root", "[{\"sender\":{\"id\":\"m\"},\"text\":\"hi\"}]", 400, "invalid_json", null),
        Arguments.of("string root", "\"hi\"", 400, "invalid_json", null),
        Arguments.of("trailing garbage", ok + "\"text\":\"hi\"} {}", 400, "invalid_json", null),
        Arguments.of("deep nesting", "{\"a\":".repeat(200) + "1" + "}".repeat(200), 400, "invalid_json", null),
        Arguments.of("duplicate key", ok + "\"text\":\"a\",\"text\":\"b\"}", 400, "invalid_json", null),
        Arguments.of("missing text", "{\"sender\":{\"id\":\"m\"}}", 400, "missing_field", "text"),
        Arguments.of("null text", ok + "\"text\":null}", 400, "missing_field", "text"),
        Arguments.of("text is a number", ok + "\"text\":42}", 400, "invalid_field", "text"),
        Arguments.of("text is an object", ok + "\"text\":{\"a\":1}}", 400, "invalid_field", "text"),
        Arguments.of("empty text", ok + "\"text\":\"\"}", 400, "invalid_field", "text"),
        Arguments.of("blank text", ok + "\"text\":\" \\n\\t \"}", 400, "invalid_field", "text"),
        Arguments.of("text over 4096 code points", ok + "\"text\":\"" + "é".repeat(4097) + "\"}", 400,
            "text_too_long", "text"),
        Arguments.of("NUL in text", ok + "\"text\":\"a\\u0000b\"}", 400, "invalid_field", "text"),
        Arguments.of("lone surrogate", ok + "\"text\":\"a\\ud800b\"}", 400, "invalid_field", "text"),
        Arguments.of("sender is a string", "{\"sender\":\"m\",\"text\":\"hi\"}", 400, "invalid_field", "sender"),
        Arguments.of("missing sender.id", "{\"sender\":{},\"text\":\"hi\"}", 400, "missing_field", "sender.id"),
        Arguments.of("sender.id is a number", "{\"sender\":{\"id\":7},\"text\":\"hi\"}", 400, "invalid_field",
            "sender.id"),
        Arguments.of("blank conversation", ok + "\"text\":\"hi\",\"conversation\":\" \"}", 400, "invalid_field",
            "conversation"),
        Arguments.of("id with a slash", ok + "\"text\":\"hi\",\"id\":\"a/b\"}", 400, "invalid_field", "id"),
        Arguments.of("id too long", ok + "\"text\":\"hi\",\"id\":\"" + "a".repeat(129) + "\"}", 400,
            "invalid_field", "id"),
        Arguments.of("callback_url not http", ok + "\"text\":\"hi\",\"callback_url\":\"file:///etc/passwd\"}", 400,
            "invalid_field", "callback_url"),
        Arguments.of("callback_url not a URL", ok + "\"text\":\"hi\",\"callback_url\":\"::\"}", 400,
            "invalid_field", "callback_url"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badBodyIsRejectedWithJsonError(String name, String body, int status, String code, String field)
      throws Exception {
    Api.Answer answer = api.post("/v1/messages", body, AUTH);
    assertError(answer, status, code);
    assertEquals(field, answer.json().getJsonObject("error").getString("field"), name);
  }

  @Test
  void textOfExactly4096CodePointsIsAccepted() throws Exception {
    String text = "😀".repeat(4096); // 8192 UTF-16 units, 4096 code points
    Api.Answer answer = api.post("/v1/messages", new JsonObject().put("sender", new JsonObject().put("id", "m"))
        .put("text", text).encode(), AUTH);
    assertEquals(200, answer.status(), answer.raw().body());
  }

  @Test
  void bodyOver64KiBIsRejectedBeforeParsing() throws Exception {
    String big = "{\"sender\":{\"id\":\"m\"},\"text\":\"" + "x".repeat(70_000) + "\"}";
    assertError(api.post("/v1/messages", big, AUTH), 413, "body_too_large");
    // not even valid JSON: the size is checked first
    assertError(api.post("/v1/messages", "{".repeat(70_000), AUTH), 413, "body_too_large");
    // streamed without Content-Length
    HttpRequest chunked = HttpRequest.newBuilder(api.uri("/v1/messages"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
        .timeout(Duration.ofSeconds(30)).build();
    assertError(api.send(chunked), 413, "body_too_large");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    String body = "{\"sender\":{\"id\":\"m\"},\"text\":\"hi\"}";
    assertError(api.post("/v1/messages", body, Map.of("Content-Type", "text/plain",
        "Authorization", "Bearer " + TOKEN)), 415, "unsupported_media_type");
    assertError(api.post("/v1/messages", body, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "Authorization", "Bearer " + TOKEN)), 415, "unsupported_media_type");
    assertError(api.post("/v1/messages", body, Map.of("Content-Type", "application/json; charset=latin1",
        "Authorization", "Bearer " + TOKEN)), 415, "unsupported_media_type");
    assertEquals(200, api.post("/v1/messages", body, Map.of("Content-Type", "application/json; charset=UTF-8",
        "Authorization", "Bearer " + TOKEN)).status());
  }

  @Test
  void missingOrWrongTokenIs401() throws Exception {
    String body = "{\"sender\":{\"id\":\"m\"},\"text\":\"hi\"}";
    Api.Answer none = api.post("/v1/messages", body, Map.of());
    assertError(none, 401, "unauthenticated");
    assertEquals("Bearer", none.header("WWW-Authenticate"));
    assertError(api.post("/v1/messages", body, Map.of("Authorization", "Bearer nope")), 401, "unauthenticated");
    assertError(api.post("/v1/messages", body, Map.of("Authorization", "Basic " + TOKEN)), 401, "unauthenticated");
    assertError(api.send(HttpRequest.newBuilder(api.uri("/v1/messages/anything")).build()), 401, "unauthenticated");
    // a bare token is a caller too, named after its hash, and it is its own sender
    Api.Answer other = api.post("/v1/messages", "{\"text\":\"hi\"}", Map.of("Authorization", "Bearer other-token"));
    assertEquals(200, other.status(), other.raw().body());
    assertTrue(other.json().getString("conversation").matches("token-[0-9a-f]{8}"), other.raw().body());
    assertError(api.post("/v1/messages", body, Map.of("Authorization", "Bearer other-token")), 403, "forbidden");
  }

  @Test
  void badQueryAndPathAnswers() throws Exception {
    String body = "{\"sender\":{\"id\":\"m\"},\"text\":\"hi\"}";
    for (String wait : new String[] {"31", "-1", "abc", "1.5"}) {
      assertError(api.post("/v1/messages?wait=" + wait, body, AUTH), 400, "invalid_parameter");
    }
    assertError(api.send(HttpRequest.newBuilder(api.uri("/v1/messages/no-such-message"))
        .header("Authorization", "Bearer " + TOKEN).build()), 404, "not_found");
    assertError(api.send(HttpRequest.newBuilder(api.uri("/v1/messages/bad%20id"))
        .header("Authorization", "Bearer " + TOKEN).build()), 400, "invalid_field");
    assertError(api.get("/no/such/endpoint"), 404, "not_found");
    assertError(api.send(HttpRequest.newBuilder(api.uri("/v1/messages")).method("PUT",
        HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TOKEN).build()), 405, "method_not_allowed");
  }

  @Test
  void rejectedRequestsLeaveNothingBehind() throws Exception {
    String id = "rejected-" + System.nanoTime();
    api.post("/v1/messages", "{\"id\":\"" + id + "\",\"sender\":{\"id\":\"m\"},\"text\":\"\"}", AUTH);
    assertError(api.send(HttpRequest.newBuilder(api.uri("/v1/messages/" + id))
        .header("Authorization", "Bearer " + TOKEN).build()), 404, "not_found");
  }

  private static void assertError(Api.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.raw().body());
    assertNotNull(answer.json(), "a JSON body: " + answer.raw().body());
    JsonObject error = answer.json().getJsonObject("error");
    assertNotNull(error, answer.raw().body());
    assertEquals(code, error.getString("code"), answer.raw().body());
    assertNotNull(error.getString("message"));
    assertEquals("application/json; charset=utf-8", answer.header("Content-Type"));
  }
}
