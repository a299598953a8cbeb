package dev.switchboard.inference;

import dev.switchboard.spi.InferenceBusyException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an {@link EmbeddingService} on the event bus at {@link InferenceAddresses}. Given settings, it loads the
 * model on a worker thread (deploying never blocks an event loop), is ready once the model answers, and closes
 * the service when undeployed; given a running service (shared with in-process callers), it leaves closing to its
 * owner. Inference runs on the service's own threads; each answer hops back onto this verticle's context before
 * replying.
 */
public final class InferenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  private final InferenceSettings settings; // null when the service is given
  private EmbeddingService service;
  private List<MessageConsumer<Object>> consumers = List.of();

  /** Creates the service from {@code settings} when deployed, and closes it when undeployed. */
  public InferenceVerticle(InferenceSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Serves a running service; whoever created it closes it. */
  public InferenceVerticle(EmbeddingService service) {
    this.settings = null;
    this.service = Objects.requireNonNull(service, "service");
  }

  @Override
  public Future<?> start() {
    if (settings == null) {
      return listen(service);
    }
    return vertx.executeBlocking(() -> EmbeddingService.create(settings), false).compose(this::listen);
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> vertx.executeBlocking(this::closeService, false));
  }

  private Future<?> listen(EmbeddingService started) {
    service = started;
    consumers = List.of(
        vertx.eventBus().localConsumer(InferenceAddresses.EMBED, this::embed),
        vertx.eventBus().localConsumer(InferenceAddresses.MODEL, this::switchModel),
        vertx.eventBus().localConsumer(InferenceAddresses.STATS, this::stats));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private void embed(Message<Object> message) {
    reply(message, () -> service.embedWithModel(InferenceAddresses.texts(message.body())),
        InferenceAddresses::embedReply);
  }

  private void switchModel(Message<Object> message) {
    reply(message, () -> service.switchModel(InferenceAddresses.model(message.body())),
        v -> InferenceAddresses.modelReply(service.model()));
  }

  private void stats(Message<Object> message) {
    message.reply(InferenceAddresses.statsReply(service.stats()));
  }

  /** Runs a call on the service and answers on this context, mapping failures to reply codes. */
  private <T> void reply(Message<Object> message, ServiceCall<T> call, Function<T, Object> toReply) {
    CompletionStage<T> stage;
    try {
      stage = call.start();
    } catch (IllegalArgumentException e) {
      message.fail(InferenceAddresses.BAD_REQUEST, e.getMessage());
      return;
    }
    Future.fromCompletionStage(stage, context)
        .onSuccess(result -> message.reply(toReply.apply(result)))
        .onFailure(error -> fail(message, error));
  }

  private static void fail(Message<Object> message, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof InferenceBusyException) {
      message.fail(InferenceAddresses.BUSY, cause.getMessage());
    } else if (cause instanceof IllegalArgumentException) {
      message.fail(InferenceAddresses.BAD_REQUEST, cause.getMessage());
    } else {
      LOG.warn("inference failed at {}: {}", message.address(), cause.toString());
      message.fail(InferenceAddresses.MODEL_FAILURE, String.valueOf(cause.getMessage()));
    }
  }

  private Void closeService() {
    if (settings != null && service != null) {
      service.close();
    }
    return null;
  }

  /** A call that may reject its input at once with {@link IllegalArgumentException}. */
  @FunctionalInterface
  private interface ServiceCall<T> {
    CompletionStage<T> start();
  }
}
