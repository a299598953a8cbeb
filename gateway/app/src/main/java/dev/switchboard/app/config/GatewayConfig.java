package dev.switchboard.app.config;

import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.channels.ChannelProvider;
import dev.switchboard.channels.JwtVerifier;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's whole configuration, parsed once at start-up by {@link ConfigLoader}. Keys and defaults are
 * listed in the README.
 *
 * @param jwt {@code auth.jwt.*}: JWT bearer tokens for the API callers and admins, when configured
 */
public record GatewayConfig(
    Http http,
    Path dataDir,
    Storage storage,
    Admin admin,
    Optional<JwtVerifier.Settings> jwt,
    Channels channels,
    Skills skills,
    Sessions sessions,
    Inference inference,
    Moderation moderation,
    Retention retention,
    Limits limits,
    Logging logging,
    Tracing tracing) {

  /** {@code tracing.otlp-endpoint}: where OpenTelemetry traces go (an OTLP/HTTP collector), when set. */
  public record Tracing(Optional<String> otlpEndpoint) {}

  /**
   * {@code logging.*}.
   *
   * @param level the level of the gateway's and the skills' loggers ({@code INFO} by default)
   * @param json {@code logging.format: json}: one JSON object per line
   */
  public record Logging(String level, boolean json) {}

  /**
   * {@code limits.*}: per-sender rate limits.
   *
   * @param sender {@code limits.sender.per-minute} and {@code .burst}, for every channel
   * @param perChannel {@code limits.<channel>.per-minute} and {@code .burst}, where a channel has its own
   */
  public record Limits(SenderQuotas.Limit sender, Map<String, SenderQuotas.Limit> perChannel) {
    public Limits {
      perChannel = Map.copyOf(perChannel);
    }
  }

  /** {@code retention.days}: messages, replies and sessions older than this are pruned in the background. */
  public record Retention(Duration keep) {}

  /**
   * {@code http.*}.
   *
   * @param trustedProxies addresses or CIDR blocks of the reverse proxies whose {@code X-Forwarded-For} /
   *     {@code Forwarded} name the client; nobody else's do
   * @param requestTimeLimit the longest a request may take, body and answer (408 after it)
   */
  public record Http(int port, List<String> trustedProxies, Duration requestTimeLimit) {
    public Http {
      trustedProxies = List.copyOf(trustedProxies);
    }
  }

  /**
   * {@code redis.url} and {@code postgres.url}; empty means embedded servers.
   *
   * @param recoveryLimit {@code storage.recovery-limit}: how long an embedded server may stay down, its restarts
   *     failing, before the node reports itself not live
   */
  public record Storage(Optional<String> redisUrl, Optional<String> postgresUrl, Duration recoveryLimit) {
    public boolean embeddedRedis() {
      return redisUrl.isEmpty();
    }

    public boolean embeddedPostgres() {
      return postgresUrl.isEmpty();
    }
  }

  /** {@code admin.*}. */
  public record Admin(Optional<Secret> token) {}

  /** {@code channels.*}: the channels that are configured (on), each with the settings its provider read. */
  public record Channels(List<ChannelProvider.Configured<?>> configured) {
    public Channels {
      configured = List.copyOf(configured);
    }

    /** The settings of the channel named {@code name}, when it is on. */
    public <T> Optional<T> settings(String name, Class<T> type) {
      return configured.stream().flatMap(c -> c.settings(name, type).stream()).findFirst();
    }
  }

  /**
   * {@code skills.*}.
   *
   * @param dir the watched plugin folder
   * @param timeout how long one skill call may take
   * @param quarantineAfter failures in a row after which a skill is quarantined
   * @param quarantineFor how long a quarantine lasts before a trial message is let through
   * @param config {@code skills.config.<name>.*}, per skill
   */
  public record Skills(Path dir, Duration timeout, int quarantineAfter, Duration quarantineFor,
      Map<String, JsonObject> config) {}

  /** {@code sessions.*}: how long a session stays hot in Redis after its last message. */
  public record Sessions(Duration ttl) {}

  /** {@code inference.*}. */
  /**
   * {@code inference.*}.
   *
   * @param model embedding model: a carrier's name, a folder with {@code model.onnx} + {@code tokenizer.json},
   *     or {@code none} to run without one
   * @param semanticThreshold least similarity for semantic routing; empty = each model's own
   */
  public record Inference(String model, int maxBatchSize, Duration maxBatchDelay, int maxQueue, int workers,
      Optional<Double> semanticThreshold, Llm llm) {
    /** {@code true} unless the embedding model is turned off. */
    public boolean embeddingsOn() {
      return !"none".equals(model);
    }
  }

  /**
   * {@code inference.llm.*}: an OpenAI-compatible chat endpoint; off when {@code baseUrl} is empty.
   *
   * @param historyTurns earlier exchanges of the conversation sent along
   * @param historyChars most characters of history sent along
   */
  public record Llm(Optional<String> baseUrl, Optional<String> model, Optional<Secret> apiKey, Duration timeout,
      int maxTokens, int historyTurns, int historyChars) {
    public boolean enabled() {
      return baseUrl.isPresent();
    }
  }

  /** {@code moderation.*}: messages refused before any skill sees them. */
  public record Moderation(List<String> blockedKeywords, List<String> blockedPatterns, List<String> blockedExamples,
      double threshold, String reply) {}
}
