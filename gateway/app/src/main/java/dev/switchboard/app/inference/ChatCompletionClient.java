package dev.switchboard.app.inference;

import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.InferenceBusyException;
import dev.switchboard.spi.InferenceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an OpenAI-compatible {@code POST /v1/chat/completions} (OpenAI, vLLM, Ollama, DJL Serving, ...). Every
 * failure becomes an {@link InferenceException} whose message can be shown to the user: a 429 is
 * {@link InferenceBusyException}; 5xx, timeouts and unreadable answers say the model is unavailable.
 */
public final class ChatCompletionClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionClient.class);
  /** Longest answer body read; a model's reply is text, far below this. */
  private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  /**
   * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434} ({@code /v1} is
   *     added when missing)
   * @param model the model name sent with each request
   * @param apiKey sent as a bearer token; {@code null} for none
   * @param timeout longest wait for an answer
   * @param maxTokens longest answer asked for
   */
  public record Settings(String baseUrl, String model, String apiKey, Duration timeout, int maxTokens) {}

  private final WebClient client;
  private final Settings settings;
  private final String endpoint;

  public ChatCompletionClient(Vertx vertx, Settings settings) {
    this.settings = settings;
    String base = settings.baseUrl().replaceAll("/+$", "");
    this.endpoint = (base.endsWith("/v1") ? base : base + "/v1") + "/chat/completions";
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) Math.min(settings.timeout().toMillis(), 10_000))
        .setIdleTimeout(120)
        .setUserAgent("switchboard"));
  }

  /** The model's name, as configured. */
  public String model() {
    return settings.model();
  }

  /** Asks for the next assistant message after {@code messages}, with {@code instructions} as the system prompt. */
  public Future<String> complete(String instructions, List<ChatMessage> messages) {
    JsonArray body = new JsonArray();
    if (instructions != null && !instructions.isBlank()) {
      body.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    messages.forEach(m -> body.add(new JsonObject().put("role", m.role()).put("content", m.text())));
    JsonObject request = new JsonObject().put("model", settings.model()).put("messages", body)
        .put("max_tokens", settings.maxTokens()).put("stream", false);
    var call = client.postAbs(endpoint).timeout(settings.timeout().toMillis())
        .putHeader("Content-Type", "application/json");
    if (settings.apiKey() != null) {
      call.bearerTokenAuthentication(settings.apiKey());
    }
    return call.sendBuffer(request.toBuffer())
        .recover(e -> Future.failedFuture(e instanceof TimeoutException
            || String.valueOf(e.getMessage()).contains("timeout")
            ? new InferenceException("the language model did not answer in time", e)
            : new InferenceException("the language model cannot be reached", e)))
        .compose(this::answer);
  }

  private Future<String> answer(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 429) {
      return Future.failedFuture(new InferenceBusyException("the language model is busy (rate limited)"));
    }
    if (status >= 500) {
      return Future.failedFuture(new InferenceException("the language model failed (HTTP " + status + ")"));
    }
    if (status != 200) {
      LOG.warn("chat completion refused with HTTP {}: {}", status, snippet(response.body()));
      return Future.failedFuture(new InferenceException("the language model refused the request (HTTP " + status
          + ")"));
    }
    Buffer body = response.body();
    if (body == null || body.length() > MAX_RESPONSE_BYTES) {
      return Future.failedFuture(new InferenceException("the language model's answer could not be read"));
    }
    try {
      JsonObject json = body.toJsonObject();
      JsonArray choices = json.getJsonArray("choices");
      String text = choices == null || choices.isEmpty() ? null
          : choices.getJsonObject(0).getJsonObject("message", new JsonObject()).getString("content");
      if (text == null || text.isBlank()) {
        return Future.failedFuture(new InferenceException("the language model gave an empty answer"));
      }
      return Future.succeededFuture(text.strip());
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(new InferenceException("the language model's answer could not be read", e));
    }
  }

  private static String snippet(Buffer body) {
    if (body == null) {
      return "";
    }
    String text = body.toString();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  public void close() {
    client.close();
  }
}
