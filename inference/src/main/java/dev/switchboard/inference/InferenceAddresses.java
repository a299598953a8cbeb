package dev.switchboard.inference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-bus addresses of inference, and what travels on them. All are local to one node (vectors are big
 * and the model is in this process). Failures are answered with {@code message.fail(code, text)}; the codes are
 * HTTP's, so a caller can pass them on.
 */
public final class InferenceAddresses {
  /**
   * Body {@code {"texts": ["...", ...]}}. Reply {@code {"model": "...", "dimensions": n, "vectors": [[...], ...]}}:
   * one unit-length vector per text, in order, all of that model. Fails with {@link #BUSY}, {@link #BAD_REQUEST}
   * or {@link #MODEL_FAILURE}.
   */
  public static final String EMBED = "switchboard.inference.embed";

  /**
   * Body {@code {"model": "<bundled name or folder path>"}}: switches the embedding model while running. Reply,
   * once the new model answers: {@code {"model": "...", "dimensions": n}}. Fails with {@link #BAD_REQUEST} for an
   * unknown model, {@link #MODEL_FAILURE} when it does not load (the old model stays), {@link #BUSY}.
   */
  public static final String MODEL = "switchboard.inference.model";

  /**
   * Body: none. Reply: {@code {"model": ..., "dimensions": n, "queueDepth": n, "maxQueue": n, "models": [{"model":
   * ..., "batches": n, "texts": n, "refused": n, "batchSizes": {"1": n, "2-4": n, ...}, "latency": {"samples": n,
   * "p50Millis": x, "p99Millis": x}}, ...]}}.
   */
  public static final String STATS = "switchboard.inference.stats";

  /** The queue is full, or too many switches are pending: nothing was done, try again later. */
  public static final int BUSY = 429;
  /** The body is not what the address takes, or names no model. */
  public static final int BAD_REQUEST = 400;
  /** The model failed, did not load, or inference is stopping. */
  public static final int MODEL_FAILURE = 500;

  static final String TEXTS = "texts";
  static final String MODEL_FIELD = "model";
  static final String DIMENSIONS = "dimensions";
  static final String VECTORS = "vectors";

  private InferenceAddresses() {}

  /** A request body for {@link #EMBED}. */
  public static JsonObject embedRequest(List<String> texts) {
    return new JsonObject().put(TEXTS, new JsonArray(new ArrayList<Object>(texts)));
  }

  /** A request body for {@link #MODEL}. */
  public static JsonObject modelRequest(String nameOrPath) {
    return new JsonObject().put(MODEL_FIELD, nameOrPath);
  }

  /** The vectors of an {@link #EMBED} reply. */
  public static List<float[]> vectors(JsonObject reply) {
    JsonArray array = reply.getJsonArray(VECTORS);
    List<float[]> vectors = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonArray values = array.getJsonArray(i);
      float[] vector = new float[values.size()];
      for (int j = 0; j < vector.length; j++) {
        vector[j] = values.getNumber(j).floatValue();
      }
      vectors.add(vector);
    }
    return vectors;
  }

  /** The texts of an {@link #EMBED} body. @throws IllegalArgumentException when it has none, or not strings */
  static List<String> texts(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue(TEXTS) instanceof JsonArray array)) {
      throw new IllegalArgumentException("expected {\"texts\": [\"...\"]}");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (Object text : array) {
      if (!(text instanceof String s)) {
        throw new IllegalArgumentException("every text must be a string");
      }
      texts.add(s);
    }
    return texts;
  }

  /** The model of a {@link #MODEL} body. @throws IllegalArgumentException when there is none */
  static String model(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue(MODEL_FIELD) instanceof String model)
        || model.isBlank()) {
      throw new IllegalArgumentException("expected {\"model\": \"<name or folder>\"}");
    }
    return model;
  }

  static JsonObject embedReply(Embeddings embeddings) {
    JsonArray vectors = new JsonArray(new ArrayList<>(embeddings.vectors().size()));
    for (float[] vector : embeddings.vectors()) {
      JsonArray values = new JsonArray(new ArrayList<>(vector.length));
      for (float v : vector) {
        values.add(v);
      }
      vectors.add(values);
    }
    return modelReply(new ModelInfo(embeddings.model(), embeddings.dimensions())).put(VECTORS, vectors);
  }

  static JsonObject modelReply(ModelInfo model) {
    return new JsonObject().put(MODEL_FIELD, model.name()).put(DIMENSIONS, model.dimensions());
  }

  static JsonObject statsReply(InferenceStats stats) {
    JsonArray models = new JsonArray();
    for (InferenceStats.ModelStats m : stats.models()) {
      JsonObject sizes = new JsonObject();
      m.batchSizes().forEach(b -> sizes.put(b.label(), b.count()));
      models.add(new JsonObject()
          .put(MODEL_FIELD, m.model())
          .put("batches", m.batches())
          .put(TEXTS, m.texts())
          .put("refused", m.refused())
          .put("batchSizes", sizes)
          .put("latency", new JsonObject()
              .put("samples", m.latency().samples())
              .put("p50Millis", m.latency().p50Millis())
              .put("p99Millis", m.latency().p99Millis())));
    }
    return modelReply(stats.model())
        .put("queueDepth", stats.queueDepth())
        .put("maxQueue", stats.maxQueue())
        .put("models", models);
  }
}
