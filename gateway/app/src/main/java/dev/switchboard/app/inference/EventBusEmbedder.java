package dev.switchboard.app.inference;

import dev.switchboard.inference.InferenceAddresses;
import dev.switchboard.spi.InferenceBusyException;
import dev.switchboard.spi.InferenceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** Reaches the {@link dev.switchboard.inference.InferenceVerticle} over the (local) event bus. */
public final class EventBusEmbedder implements Embedder {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private volatile String model;
  private final java.util.function.BiConsumer<String, Duration> answered;

  /**
   * @param model the model loaded at start
   * @param timeout longest wait for an answer
   * @param answered told, per answered request, the model and how long the answer took (queue and model)
   */
  public EventBusEmbedder(Vertx vertx, String model, Duration timeout,
      java.util.function.BiConsumer<String, Duration> answered) {
    this.vertx = vertx;
    this.answered = answered;
    this.model = model;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** The model of the latest answer (or the one loaded at start). */
  public String model() {
    return model;
  }

  @Override
  public Future<Embeddings> embed(List<String> texts) {
    long started = System.nanoTime();
    return vertx.eventBus().<JsonObject>request(InferenceAddresses.EMBED, InferenceAddresses.embedRequest(texts),
            options)
        .map(reply -> {
          String answeredBy = reply.body().getString("model");
          model = answeredBy;
          answered.accept(answeredBy, Duration.ofNanos(System.nanoTime() - started));
          return new Embeddings(answeredBy, InferenceAddresses.vectors(reply.body()));
        })
        .recover(e -> Future.failedFuture(translate(e)));
  }

  /** Switches the model; answers {@code {"model","dimensions"}} once the new one answers. */
  public Future<JsonObject> switchModel(String nameOrPath) {
    return vertx.eventBus().<JsonObject>request(InferenceAddresses.MODEL, InferenceAddresses.modelRequest(nameOrPath),
            new DeliveryOptions().setSendTimeout(120_000))
        .map(reply -> {
          model = reply.body().getString("model");
          return reply.body();
        });
  }

  /** The inference verticle's figures: queue, batches and latency per model. */
  public Future<JsonObject> stats() {
    return vertx.eventBus().<JsonObject>request(InferenceAddresses.STATS, null, options).map(r -> r.body());
  }

  private static Throwable translate(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureCode() == InferenceAddresses.BUSY) {
      return new InferenceBusyException(reply.getMessage());
    }
    return new InferenceException("the embedding model failed: " + e.getMessage(), e);
  }
}
