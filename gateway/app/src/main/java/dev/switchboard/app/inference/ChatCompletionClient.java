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
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import dev.switchboard.app.skills.SkillRunner;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Duration;
import java.util.List;
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
  public record Settings(String baseUrl, String model, String apiKey, Duration timeout, int maxTokens) {
    @Override
    public String toString() {
      return "Settings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
          + ", timeout=" + timeout + ", maxTokens=" + maxTokens + "]";
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final Settings settings;
  private final String endpoint;

  public ChatCompletionClient(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    String base = settings.baseUrl().replaceAll("/+$", "");
    this.endpoint = (base.endsWith("/v1") ? base : base + "/v1") + "/chat/completions";
    // As many connections as skills may run at once, so chats do not queue behind each other.
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(settings.timeout().toMillis(), 10_000))
            .setKeepAliveTimeout(60),
        new PoolOptions().setHttp1MaxSize(SkillRunner.MAX_RUNNING));
  }

  /** The model's name, as configured. */
  public String model() {
    return settings.model();
  }

  /**
   * Asks for the next assistant message after {@code messages}, with {@code instructions} as the system prompt.
   * The whole call, body included, must finish within the timeout; a body over 1 MiB is refused as it arrives.
   */
  public Future<String> complete(String instructions, List<ChatMessage> messages) {
    JsonArray body = new JsonArray();
    if (instructions != null && !instructions.isBlank()) {
      body.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    messages.forEach(m -> body.add(new JsonObject().put("role", m.role()).put("content", m.text())));
    Buffer payload = new JsonObject().put("model", settings.model()).put("messages", body)
        .put("max_tokens", settings.maxTokens()).put("stream", false).toBuffer();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint)
        .putHeader("Content-Type", "application/json").putHeader("User-Agent", "switchboard");
    if (settings.apiKey() != null) {
      options.putHeader("Authorization", "Bearer " + settings.apiKey());
    }
    Promise<String> result = Promise.promise();
    AtomicReference<HttpClientRequest> call = new AtomicReference<>();
    long deadline = vertx.setTimer(settings.timeout().toMillis(), id -> {
      if (result.tryFail(new InferenceException("the language model did not answer in time"))) {
        HttpClientRequest request = call.get();
        if (request != null) {
          request.reset();
        }
      }
    });
    client.request(options)
        .compose(request -> {
          call.set(request);
          return request.send(payload);
        })
        .onSuccess(response -> read(response, result))
        .onFailure(e -> result.tryFail(new InferenceException("the language model cannot be reached", e)));
    return result.future().onComplete(done -> vertx.cancelTimer(deadline));
  }

  /** Reads the body up to {@link #MAX_RESPONSE_BYTES}, then answers. */
  private void read(HttpClientResponse response, Promise<String> result) {
    if (declaredLength(response) > MAX_RESPONSE_BYTES) {
      result.tryFail(new InferenceException("the language model's answer is too long"));
      response.request().reset();
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_RESPONSE_BYTES) {
        if (result.tryFail(new InferenceException("the language model's answer is too long"))) {
          response.request().reset();
        }
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(e -> result.tryFail(new InferenceException("the language model's answer broke off", e)));
    response.endHandler(v -> answer(response.statusCode(), body).onComplete(result::tryComplete, result::tryFail));
  }

  private static long declaredLength(HttpClientResponse response) {
    try {
      String length = response.getHeader("Content-Length");
      return length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private Future<String> answer(int status, Buffer body) {
    if (status == 429) {
      return Future.failedFuture(new InferenceBusyException("the language model is busy (rate limited)"));
    }
    if (status >= 500) {
      return Future.failedFuture(new InferenceException("the language model failed (HTTP " + status + ")"));
    }
    if (status != 200) {
      LOG.warn("chat completion refused with HTTP {}: {}", status, snippet(body));
      return Future.failedFuture(new InferenceException("the language model refused the request (HTTP " + status
          + ")"));
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

  public Future<Void> close() {
    return client.close();
  }
}
