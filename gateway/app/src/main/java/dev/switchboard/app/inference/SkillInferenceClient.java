package dev.switchboard.app.inference;

import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.InferenceException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The {@link InferenceClient} skills get: blocking calls (a skill runs on its own thread) over the gateway's
 * asynchronous embedder and chat client, each bounded by a timeout.
 */
public final class SkillInferenceClient implements InferenceClient {
  private final Embedder embedder;
  private final Supplier<String> model;
  private final ChatCompletionClient chat;
  private final Duration timeout;

  /**
   * @param embedder {@code null} when no embedding model runs
   * @param model the current embedding model's name
   * @param chat {@code null} when no language model is configured
   * @param timeout longest wait for an embedding (generation has the chat client's own timeout)
   */
  public SkillInferenceClient(Embedder embedder, Supplier<String> model, ChatCompletionClient chat,
      Duration timeout) {
    this.embedder = embedder;
    this.model = model;
    this.chat = chat;
    this.timeout = timeout;
  }

  @Override
  public String embeddingModel() {
    return embedder == null ? null : model.get();
  }

  @Override
  public Embeddings embedding(List<String> texts) throws InferenceException {
    if (embedder == null) {
      return NONE.embedding(texts);
    }
    Embedder.Embeddings result = await(embedder.embed(List.copyOf(texts)), timeout,
        "the embedding model did not answer in time");
    return new Embeddings(result.model(), result.vectors(), MatchThresholds.forModel(result.model()));
  }

  @Override
  public boolean canGenerate() {
    return chat != null;
  }

  @Override
  public String generate(String instructions, List<ChatMessage> messages) throws InferenceException {
    if (chat == null) {
      return NONE.generate(instructions, messages);
    }
    // the chat client has its own timeout; this one only guards against a lost answer
    return await(chat.complete(instructions, List.copyOf(messages)), timeout.plusSeconds(60),
        "the language model did not answer in time");
  }

  private static <T> T await(Future<T> future, Duration timeout, String timeoutMessage) throws InferenceException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InferenceException inference) {
        throw inference;
      }
      throw new InferenceException("inference failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new InferenceException(timeoutMessage);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException("interrupted");
    }
  }
}
