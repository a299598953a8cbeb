package dev.switchboard.channels.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.Caller;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.Hmac;
import dev.switchboard.channels.Mapping;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookMapperTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void mapsAFullRequest() {
    JsonObject body = new JsonObject()
        .put("id", "msg-1")
        .put("sender", new JsonObject().put("id", "alice").put("name", "Alice"))
        .put("conversation", "team-room")
        .put("text", "/todo add milk")
        .put("callback_url", "https://example.invalid/hook")
        .put("unknown", "ignored");
    Mapping.Handle inbound = WebhookMapper.read(Caller.LOCAL, body, null, 123, NOW);
    Envelope e = inbound.envelope();
    assertEquals("msg-1", e.id().value());
    assertEquals("webhook:team-room", e.conversation().asString());
    assertEquals("Alice", e.sender().displayName());
    assertEquals(new Content.Command("todo", List.of("add", "milk"), "add milk"), e.content());
    assertEquals(123, e.rawSize());
    assertEquals(NOW, e.receivedAt());
    assertEquals("https://example.invalid/hook", ((WebhookAddress) inbound.address()).callbackUrl());
  }

  @Test
  void conversationDefaultsToTheSenderAndIdIsGenerated() {
    Mapping.Handle inbound = WebhookMapper.read(Caller.LOCAL, minimal("hello"), null, 10, NOW);
    assertEquals("alice", inbound.envelope().conversation().id());
    assertEquals(new Content.Text("hello"), inbound.envelope().content());
    assertEquals(36, inbound.envelope().id().value().length());
    assertTrue(inbound.address().toJson().isEmpty());
  }

  @Test
  void aNamedCallerIsItsOwnSenderInItsOwnNamespace() {
    Caller ci = new Caller("ci/bot", java.util.Set.of(Caller.SEND));
    JsonObject body = new JsonObject().put("id", "m-1").put("conversation", "room").put("text", "hi");
    Mapping.Handle inbound = WebhookMapper.read(ci, body, null, 1, NOW);
    assertEquals("ci%2Fbot/m-1", inbound.envelope().id().value());
    assertEquals("ci%2Fbot/room", inbound.envelope().conversation().id());
    assertEquals("ci/bot", inbound.envelope().sender().id());
    assertEquals("m-1", ci.unscope(inbound.envelope().id().value()));
    assertEquals("ci/bot", WebhookAddress.from(inbound.address().toJson()).caller());

    JsonObject asOther = body.copy().put("sender", new JsonObject().put("id", "alice"));
    ApiError refused = assertThrows(ApiError.class, () -> WebhookMapper.read(ci, asOther, null, 1, NOW));
    assertEquals(403, refused.status());
    JsonObject asItself = body.copy().put("sender", new JsonObject().put("id", "ci/bot").put("name", "CI"));
    assertEquals("CI", WebhookMapper.read(ci, asItself, null, 1, NOW).envelope().sender().displayName());
  }

  @Test
  void twoCallersNamespacesNeverMeet() {
    // "a" naming conversation "b/c" and "a/b" naming "c" would both be "a/b/c" without the name's encoding
    Caller a = new Caller("a", java.util.Set.of());
    Caller ab = new Caller("a/b", java.util.Set.of());
    assertTrue(!a.scope("b/c").equals(ab.scope("c")));
    assertEquals("b/c", a.unscope(a.scope("b/c")));
    assertEquals("c", ab.unscope(ab.scope("c")));
    assertEquals("x", Caller.LOCAL.scope("x"));
    // a static token named "ci" and a JWT whose sub is "ci" are two callers
    Caller token = new Caller("ci", java.util.Set.of(), true);
    assertTrue(!token.scope("m").equals(new Caller("ci", java.util.Set.of()).scope("m")));
    assertEquals("~ci/m", new Caller("ci", java.util.Set.of(), true).scope("m"));
  }

  @Test
  void idempotencyKeyIsTheId() {
    assertEquals("key-9", WebhookMapper.read(Caller.LOCAL, minimal("hi"), "key-9", 1, NOW).envelope().id().value());
    JsonObject withId = minimal("hi").put("id", "key-9");
    assertEquals("key-9", WebhookMapper.read(Caller.LOCAL, withId, "key-9", 1, NOW).envelope().id().value());
    ApiError clash = assertThrows(ApiError.class, () -> WebhookMapper.read(Caller.LOCAL, withId, "other", 1, NOW));
    assertEquals("id", clash.field());
  }

  @Test
  void textLengthCountsCodePoints() {
    WebhookMapper.read(Caller.LOCAL, minimal("😀".repeat(4096)), null, 1, NOW);
    ApiError e = assertThrows(ApiError.class, () -> WebhookMapper.read(Caller.LOCAL, minimal("😀".repeat(4097)), null, 1, NOW));
    assertEquals("text_too_long", e.code());
  }

  @Test
  void namesEachBadField() {
    assertField("text", new JsonObject().put("sender", new JsonObject().put("id", "a")));
    assertField("text", minimal("   "));
    assertField("text", minimal("a").put("text", List.of("x")));
    assertField("sender", new JsonObject().put("text", "hi").put("sender", "alice"));
    assertField("sender.id", new JsonObject().put("text", "hi").put("sender", new JsonObject()));
    assertField("sender.id", new JsonObject().put("text", "hi").put("sender", new JsonObject().put("id", "a\tb")));
    assertField("sender.name", minimal("hi").put("sender", new JsonObject().put("id", "a").put("name", 5)));
    assertField("conversation", minimal("hi").put("conversation", "x".repeat(257)));
    assertField("callback_url", minimal("hi").put("callback_url", "javascript:alert(1)"));
    assertField("callback_url", minimal("hi").put("callback_url", "http://user:pw@example.invalid/"));
    assertField("callback_url", minimal("hi").put("callback_url", "http://127.0.0.1:99999/"));
    assertField("id", minimal("hi").put("id", ""));
  }

  @Test
  void acceptsOnlyUtf8Json() {
    assertTrue(WebhookHandler.isUtf8Json("application/json"));
    assertTrue(WebhookHandler.isUtf8Json("Application/JSON; charset=\"UTF-8\""));
    assertEquals(false, WebhookHandler.isUtf8Json("application/json; charset=iso-8859-1"));
    assertEquals(false, WebhookHandler.isUtf8Json("text/json"));
    assertEquals(false, WebhookHandler.isUtf8Json(null));
  }

  @Test
  void callbacksAreSignedOverTimestampAndBody() {
    // HMAC-SHA256("key", "1700000000.{\"a\":1}"), computed independently
    assertEquals("a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03",
        CallbackClient.sign(new Hmac("key"), "1700000000", Buffer.buffer("{\"a\":1}")));
  }

  @Test
  void callbackStatusesMapToDeliveryOutcomes() {
    assertTrue(CallbackClient.classifyStatus(204, null) instanceof DeliveryResult.Delivered);
    assertTrue(CallbackClient.classifyStatus(503, null) instanceof DeliveryResult.RetryLater);
    DeliveryResult.RetryLater limited = (DeliveryResult.RetryLater) CallbackClient.classifyStatus(429, "7");
    assertEquals(7, limited.after().toSeconds());
    assertNull(((DeliveryResult.RetryLater) CallbackClient.classifyStatus(429, "soon")).after());
    assertTrue(CallbackClient.classifyStatus(404, null) instanceof DeliveryResult.Failed);
    assertTrue(CallbackClient.classifyStatus(301, null) instanceof DeliveryResult.Failed);
  }

  private static JsonObject minimal(String text) {
    return new JsonObject().put("sender", new JsonObject().put("id", "alice")).put("text", text);
  }

  private static void assertField(String field, JsonObject body) {
    ApiError e = assertThrows(ApiError.class, () -> WebhookMapper.read(Caller.LOCAL, body, null, 1, NOW), body.encode());
    assertEquals(400, e.status());
    assertEquals(field, e.field(), body.encode());
  }
}
