package dev.switchboard.app.http;

import dev.switchboard.app.inference.ChatCompletionClient;
import dev.switchboard.app.inference.EventBusEmbedder;
import dev.switchboard.app.inference.SemanticIndex;
import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.StrictJson;
import dev.switchboard.inference.InferenceAddresses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code GET /admin/inference} (models, queue, batch sizes, latency, semantic index, language model) and
 * {@code POST /admin/inference/model} {@code {"model": "<name or folder>"}} (switch the embedding model while
 * running; answers once the new model serves).
 *
 * @param embedder {@code null} when no embedding model runs
 * @param semantic {@code null} when no embedding model runs
 * @param chat {@code null} when no language model is configured
 */
public record InferenceAdminRoutes(EventBusEmbedder embedder, SemanticIndex semantic, ChatCompletionClient chat) {
  private static final int MAX_BODY = 4096;

  /** Mounts the routes; the caller was checked by the admin route before them, before any body is read. */
  void mount(Router router) {
    router.get("/admin/inference").handler(this::status);
    router.post("/admin/inference/model").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(this::switchModel);
  }

  private void status(RoutingContext ctx) {
    JsonObject llm = chat == null ? new JsonObject().put("configured", false)
        : new JsonObject().put("configured", true).put("model", chat.model());
    if (embedder == null) {
      HttpResponses.json(ctx, 200, new JsonObject().put("embeddings", new JsonObject().put("model", (String) null))
          .put("llm", llm));
      return;
    }
    embedder.stats().onComplete(stats -> HttpResponses.json(ctx, 200, new JsonObject()
        .put("embeddings", stats.succeeded() ? stats.result()
            : new JsonObject().put("error", stats.cause().getMessage()))
        .put("semantic_index", semantic.describe())
        .put("llm", llm)));
  }

  private void switchModel(RoutingContext ctx) {
    if (embedder == null) {
      HttpResponses.error(ctx, ApiError.of(409, "no_embedding_model", "the gateway runs without an embedding "
          + "model (inference.model: none)"));
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      HttpResponses.error(ctx, ApiError.unsupportedMediaType("application/json"));
      return;
    }
    if (ctx.body().buffer() == null || ctx.body().length() == 0) {
      HttpResponses.error(ctx, ApiError.invalid("invalid_body", "a JSON object {\"model\": \"...\"} is required",
          null));
      return;
    }
    JsonObject body = StrictJson.parseObject(ctx.body().buffer());
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      HttpResponses.error(ctx, ApiError.invalid("invalid_field", "model is required: a model name or folder",
          "model"));
      return;
    }
    embedder.switchModel(model)
        .onSuccess(reply -> semantic.modelSwitched(reply.getString("model")))
        .onSuccess(reply -> HttpResponses.json(ctx, 200, reply))
        .onFailure(e -> HttpResponses.error(ctx, refusal(e)));
  }

  private static ApiError refusal(Throwable e) {
    int code = e instanceof ReplyException reply ? reply.failureCode() : InferenceAddresses.MODEL_FAILURE;
    if (code == InferenceAddresses.BUSY) {
      return ApiError.of(429, "busy", "a model switch is already under way; try again shortly");
    }
    if (code == InferenceAddresses.BAD_REQUEST) {
      return ApiError.invalid("unknown_model", e.getMessage(), "model");
    }
    return ApiError.of(422, "model_not_loaded", "the model did not load; the old one stays: " + e.getMessage());
  }
}
