package dev.switchboard.app.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StorableJsonTest {

  @Test
  void dropsNulAndReplacesLoneSurrogates() {
    assertEquals("ab", StorableJson.clean("a\u0000b"));
    assertEquals("a\uFFFDb", StorableJson.clean("a\ud800b"));
    assertEquals("\uFFFDx", StorableJson.clean("\udc00x"));
    String fine = "emoji 😀 é";
    assertSame(fine, StorableJson.clean(fine));
    JsonObject nested = new JsonObject().put("k\u0000", new JsonArray().add("v\u0000").add(1).add(new JsonObject()
        .put("t", "\ud83d")));
    assertEquals(new JsonObject().put("k", new JsonArray().add("v").add(1).add(new JsonObject().put("t", "\uFFFD"))),
        StorableJson.clean(nested));
    JsonObject storable = new JsonObject().put("k", new JsonArray().add("v").add(new JsonObject().put("t", "ok")));
    assertSame(storable, StorableJson.clean(storable), "nothing to clean: nothing is copied");
  }
}
