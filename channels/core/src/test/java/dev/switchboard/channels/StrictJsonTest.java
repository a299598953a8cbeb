package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  @Test
  void readsAnObject() {
    JsonObject json = StrictJson.parseObject(Buffer.buffer("{\"a\":[1,2.5,true,null,{\"b\":\"c\"}],\"n\":12345678901}"));
    assertEquals(12345678901L, json.getLong("n"));
    assertEquals("c", json.getJsonArray("a").getJsonObject(4).getString("b"));
    assertNull(json.getJsonArray("a").getValue(3));
  }

  @Test
  void rejectsWhatIsNotOneSmallObject() {
    for (String bad : new String[] {"", "[]", "\"x\"", "1", "{", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1,\"a\":2}",
        "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}", "{'a':1}"}) {
      ApiError e = assertThrows(ApiError.class, () -> StrictJson.parseObject(Buffer.buffer(bad)), bad);
      assertEquals(400, e.status(), bad);
      assertEquals("invalid_json", e.code());
    }
  }

  @Test
  void rejectsInvalidUtf8() {
    Buffer body = Buffer.buffer("{\"a\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28}).appendString("\"}");
    assertThrows(ApiError.class, () -> StrictJson.parseObject(body));
    // overlong forms ("/" as two and three bytes, NUL as two), an encoded surrogate, beyond U+10FFFF
    byte[][] overlong = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
        {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    for (byte[] bytes : overlong) {
      Buffer bad = Buffer.buffer("{\"a\":\"").appendBytes(bytes).appendString("\"}");
      assertThrows(ApiError.class, () -> StrictJson.parseObject(bad), java.util.HexFormat.of().formatHex(bytes));
    }
  }

  @Test
  void textRulesCatchWhatPostgresCannotStore() {
    assertNull(TextRules.problem("plain, emoji 😀 and accents é"));
    assertTrue(TextRules.problem("a\u0000b").contains("NUL"));
    assertTrue(TextRules.problem("a\ud800").contains("surrogate"));
    assertTrue(TextRules.problem("\udc00a").contains("surrogate"));
  }

  @Test
  void errorJsonShape() {
    JsonObject json = ApiError.invalid("invalid_field", "text must be a string", "text").toJson();
    assertEquals(new JsonObject().put("error", new JsonObject().put("code", "invalid_field")
        .put("message", "text must be a string").put("field", "text")), json);
  }
}
