package dev.switchboard.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The verticle over a real event bus, with the real model behind it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InferenceVerticleTest {

  @Test
  void embedsSwitchesAndReportsOverTheEventBus(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new InferenceVerticle(InferenceSettings.defaults()))
        .compose(id -> request(vertx, InferenceAddresses.EMBED,
            InferenceAddresses.embedRequest(List.of("what's on my list", "show my todo list", "sunny weather"))))
        .compose(reply -> {
          test.verify(() -> {
            assertEquals("all-minilm-l6-v2", reply.getString("model"));
            assertEquals(384, reply.getInteger("dimensions"));
            List<float[]> vectors = InferenceAddresses.vectors(reply);
            assertEquals(3, vectors.size());
            assertEquals(1.0, Vectors.norm(vectors.get(0)), 1e-5);
            assertTrue(Vectors.cosine(vectors.get(0), vectors.get(1)) > Vectors.cosine(vectors.get(0), vectors.get(2)));
          });
          return request(vertx, InferenceAddresses.MODEL, InferenceAddresses.modelRequest("bge-small-en-v1.5"));
        })
        .compose(reply -> {
          test.verify(() -> assertEquals(new JsonObject().put("model", "bge-small-en-v1.5").put("dimensions", 384),
              reply));
          return request(vertx, InferenceAddresses.EMBED, InferenceAddresses.embedRequest(List.of("hello")));
        })
        .compose(reply -> {
          test.verify(() -> assertEquals("bge-small-en-v1.5", reply.getString("model")));
          return request(vertx, InferenceAddresses.STATS, null);
        })
        .onComplete(test.succeeding(stats -> test.verify(() -> {
          assertEquals("bge-small-en-v1.5", stats.getString("model"));
          assertEquals(0, stats.getInteger("queueDepth"));
          assertEquals(2, stats.getJsonArray("models").size());
          JsonObject miniLm = stats.getJsonArray("models").getJsonObject(0);
          assertEquals("all-minilm-l6-v2", miniLm.getString("model"));
          assertEquals(3, miniLm.getLong("texts"));
          assertEquals(1, miniLm.getJsonObject("batchSizes").getLong("2-4"));
          test.completeNow();
        })));
  }

  @Test
  void badRequestsAndUnknownModelsFailWith400(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new InferenceVerticle(InferenceSettings.defaults()))
        .compose(id -> Future.all(
            failureCode(vertx, InferenceAddresses.EMBED, new JsonObject().put("text", "not a list")),
            failureCode(vertx, InferenceAddresses.EMBED, new JsonObject().put("texts", List.of(1, 2))),
            failureCode(vertx, InferenceAddresses.EMBED, "plain string"),
            failureCode(vertx, InferenceAddresses.MODEL, InferenceAddresses.modelRequest("no-such-model")),
            failureCode(vertx, InferenceAddresses.MODEL, new JsonObject())))
        .onComplete(test.succeeding(codes -> test.verify(() -> {
          assertEquals(List.of(400, 400, 400, 400, 400), codes.list());
          test.completeNow();
        })));
  }

  @Test
  void fullQueueFailsWith429(Vertx vertx, VertxTestContext test) {
    // The worker gathers for a minute, so the first request keeps the queue full.
    InferenceSettings settings = new InferenceSettings("all-minilm-l6-v2", 64, Duration.ofMinutes(1), 2, 1);
    vertx.deployVerticle(new InferenceVerticle(settings))
        .compose(id -> {
          vertx.eventBus().request(InferenceAddresses.EMBED, InferenceAddresses.embedRequest(List.of("a", "b")));
          return failureCode(vertx, InferenceAddresses.EMBED, InferenceAddresses.embedRequest(List.of("c")));
        })
        .onComplete(test.succeeding(code -> test.verify(() -> {
          assertEquals(InferenceAddresses.BUSY, code);
          test.completeNow();
        })));
  }

  @Test
  void sharedServiceOutlivesTheVerticle(Vertx vertx, VertxTestContext test) throws Exception {
    EmbeddingService service = EmbeddingService.create(InferenceSettings.defaults());
    vertx.deployVerticle(new InferenceVerticle(service))
        .compose(id -> request(vertx, InferenceAddresses.EMBED, InferenceAddresses.embedRequest(List.of("hi")))
            .compose(reply -> vertx.undeploy(id)))
        .compose(v -> Future.fromCompletionStage(service.embed("still running"), vertx.getOrCreateContext()))
        .eventually(() -> vertx.executeBlocking(() -> {
          service.close();
          return null;
        }))
        .onComplete(test.succeeding(vector -> test.verify(() -> {
          assertEquals(384, vector.length);
          test.completeNow();
        })));
  }

  private static Future<JsonObject> request(Vertx vertx, String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  /** The failure code of a request that must fail. */
  private static Future<Integer> failureCode(Vertx vertx, String address, Object body) {
    return vertx.eventBus().request(address, body).transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture("expected a failure from " + address + ", got " + ar.result().body());
      }
      assertInstanceOf(ReplyException.class, ar.cause());
      return Future.succeededFuture(((ReplyException) ar.cause()).failureCode());
    });
  }
}
