package dev.switchboard.app;

import dev.switchboard.app.config.GatewayConfig;
import dev.switchboard.app.config.Secret;
import dev.switchboard.app.http.HttpVerticle;
import dev.switchboard.app.inference.ChatCompletionClient;
import dev.switchboard.app.http.AdminApi;
import dev.switchboard.app.http.InferenceAdminRoutes;
import dev.switchboard.app.http.MetricsEndpoint;
import dev.switchboard.inference.EmbeddingService;
import dev.switchboard.spi.InferenceException;
import dev.switchboard.app.inference.EventBusEmbedder;
import dev.switchboard.inference.InferenceSettings;
import dev.switchboard.inference.InferenceVerticle;
import dev.switchboard.app.inference.Moderation;
import dev.switchboard.app.inference.SemanticIndex;
import dev.switchboard.app.inference.SkillInferenceClient;
import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.outbox.OutboxDispatcherVerticle;
import dev.switchboard.app.outbox.OutboxStore;
import dev.switchboard.app.pipeline.HistoryLimits;
import dev.switchboard.app.pipeline.Pipeline;
import dev.switchboard.app.storage.RedisLeases;
import dev.switchboard.app.storage.Retention;
import dev.switchboard.app.routing.SemanticMatcher;
import dev.switchboard.app.routing.SkillRouter;
import dev.switchboard.app.session.SessionStore;
import dev.switchboard.app.skills.SkillHealth;
import dev.switchboard.app.skills.SkillLibrary;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.app.storage.Storage;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChannelContext;
import dev.switchboard.channels.ChannelProvider;
import dev.switchboard.channels.ClientAddresses;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.MetricsSampler;
import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.app.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.switchboard.channels.JwtVerifier;
import dev.switchboard.channels.RequestAuth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Wires the gateway together and holds what must be stopped. No logic of its own: each piece is built here
 * and deployed; {@link #stop()} takes them down in the reverse order.
 */
public final class Gateway {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gateway.class);
  private final Vertx vertx;
  private final Storage storage;
  private final SkillLibrary skills;
  private final SkillRunner runner;
  private final Map<String, ChannelAdapter> channels;
  private final List<String> deployments;
  private final int port;
  private final GatewayConfig config;
  private final EmbeddingService embeddings;
  private final KeptValues.Kept kept;
  private final long retentionTimer;
  private final Tracing tracing;
  private final SemanticIndex semantic; // null without an embedding model

  private Gateway(Vertx vertx, Storage storage, SkillLibrary skills, SkillRunner runner,
      Map<String, ChannelAdapter> channels, List<String> deployments, int port, GatewayConfig config,
      EmbeddingService embeddings, SemanticIndex semantic, KeptValues.Kept kept, Retention retention,
      Tracing tracing) {
    this.tracing = tracing;
    this.semantic = semantic;
    this.kept = kept;
    // the first pruning a minute after start, then every hour
    this.retentionTimer = vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), Duration.ofHours(1).toMillis(),
        id -> prune(retention));
    this.config = config;
    this.embeddings = embeddings;
    this.vertx = vertx;
    this.storage = storage;
    this.skills = skills;
    this.runner = runner;
    this.channels = channels;
    this.deployments = deployments;
    this.port = port;
  }

  /** Starts storage, the pipeline, delivery and the HTTP server; completes when the gateway is ready. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    // progress as it goes: no start-up is silent for more than the few seconds one step takes
    List<String> embedded = new ArrayList<>();
    if (config.storage().embeddedPostgres()) {
      embedded.add("PostgreSQL");
    }
    if (config.storage().embeddedRedis()) {
      embedded.add("Redis");
    }
    LOG.info("starting: {}", embedded.isEmpty() ? "connecting to PostgreSQL and Redis"
        : "embedded " + String.join(" and ", embedded) + " in " + config.dataDir());
    long started = System.nanoTime();
    return Storage.open(vertx, config.storage(), config.dataDir())
        .onSuccess(storage -> LOG.info("storage ready after {} ms; loading skills from {}",
            (System.nanoTime() - started) / 1_000_000, config.skills().dir()))
        .compose(storage -> vertx.executeBlocking(() -> KeptValues.load(config), false)
            .compose(kept -> vertx.executeBlocking(() -> startSkills(config), false)
                .compose(skills -> wire(vertx, config, storage, skills, kept)
                    .onFailure(e -> skills.close())))
            .recover(e -> storage.close(vertx).transform(v -> Future.failedFuture(e))));
  }

  private static SkillLibrary startSkills(GatewayConfig config) throws java.io.IOException {
    GatewayConfig.Skills skills = config.skills();
    return SkillLibrary.start(Gateway.class.getClassLoader(), skills.dir(),
        config.dataDir().resolve("plugin-copies"),
        new SkillHealth.Policy(skills.quarantineAfter(), skills.quarantineFor()));
  }

  /**
   * Loads the embedding model (unless it is turned off); blocks. A model that does not load is reported and
   * the gateway runs without one: semantic routing, the FAQ and moderation by example are optional, and
   * conversations must not stop for them.
   */
  private static EmbeddingService startEmbeddings(GatewayConfig.Inference inference) {
    if (!inference.embeddingsOn()) {
      return null;
    }
    LOG.info("loading the embedding model {}", inference.model());
    try {
      return EmbeddingService.create(new InferenceSettings(inference.model(), inference.maxBatchSize(),
          inference.maxBatchDelay(), inference.maxQueue(), inference.workers()));
    } catch (InferenceException | RuntimeException | LinkageError e) {
      LOG.error("the embedding model {} did not load; running without semantic routing, FAQ answers and "
          + "moderation by example: {}", inference.model(), e.toString());
      return null;
    }
  }

  private static Future<Gateway> wire(Vertx vertx, GatewayConfig config, Storage storage, SkillLibrary skills,
      KeptValues.Kept kept) {
    List<String> deployments = new ArrayList<>();
    return vertx.executeBlocking(() -> startEmbeddings(config.inference()), false)
        .compose(service -> {
          if (service == null) {
            return wire(vertx, config, storage, skills, kept, null, deployments);
          }
          return vertx.deployVerticle(new InferenceVerticle(service))
              .compose(id -> {
                deployments.add(id);
                return wire(vertx, config, storage, skills, kept, service, deployments);
              })
              .onFailure(e -> vertx.executeBlocking(() -> {
                service.close();
                return null;
              }, false));
        });
  }

  private static Future<Gateway> wire(Vertx vertx, GatewayConfig config, Storage storage, SkillLibrary skills,
      KeptValues.Kept kept, EmbeddingService embeddings, List<String> deployments) {
    String nodeId = kept.nodeId();
    SkillRunner runner = new SkillRunner(vertx, config.skills().timeout());
    Map<String, ChannelAdapter> channels = new LinkedHashMap<>();
    InboundStore inbound = new InboundStore(storage.pg());
    SessionStore sessions = new SessionStore(vertx, storage.pg(), storage.redisClient(), config.sessions().ttl());
    OutboxStore outbox = new OutboxStore(storage.pg(), nodeId);
    GatewayMetrics metrics = new GatewayMetrics(new PrometheusRegistry());
    Tracing tracing = config.tracing().otlpEndpoint().map(Tracing::toCollector).orElse(Tracing.OFF);
    OutboxDispatcherVerticle delivery = new OutboxDispatcherVerticle(outbox, channels, metrics, tracing);

    GatewayConfig.Inference inference = config.inference();
    EventBusEmbedder embedder = embeddings == null ? null
        : new EventBusEmbedder(vertx, embeddings.model().name(), Duration.ofSeconds(10), metrics::inference);
    ChatCompletionClient chat = chatClient(vertx, inference.llm());
    SemanticIndex semantic = embedder == null ? null
        : new SemanticIndex(vertx, embedder, skills::current, config.skills().config(),
            inference.semanticThreshold().orElse(null));
    Pipeline pipeline = new Pipeline(vertx, nodeId,
        new Pipeline.Stores(storage.pg(), storage.pgConnectOptions(), inbound, sessions, outbox),
        skillServices(config, skills, runner, embedder, semantic, chat),
        new SenderQuotas(vertx, storage.redis(), config.limits().sender(), config.limits().perChannel()),
        deliveryPolicy(channels),
        delivery::wake, config.skills().timeout(), metrics, tracing);
    if (semantic != null) {
      semantic.start();
    }

    RedisLeases leases = new RedisLeases(storage.redis(), nodeId);
    ClientAddresses clients = new ClientAddresses(config.http().trustedProxies());
    JwtVerifier jwt = config.jwt().map(settings -> JwtVerifier.start(vertx, settings)).orElse(null);
    ChannelContext context = new ChannelContext(vertx, pipeline.inbound(), leases, kept.callbackSecret(), clients,
        jwt);
    for (ChannelProvider.Configured<?> configured : config.channels().configured()) {
      ChannelAdapter adapter = configured.create(context);
      channels.put(adapter.id().value(), adapter);
    }

    metrics.channels(channels.keySet());
    // always a token, never "local means trusted": behind a reverse proxy every caller looks local
    RequestAuth adminAuth = RequestAuth.forAdmin(kept.adminToken(), jwt);
    Retention retention = new Retention(storage.pg(), config.retention().keep());
    int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    AdminApi admin = new AdminApi(adminAuth, new InferenceAdminRoutes(embedder, semantic, chat),
        new MetricsEndpoint(metrics.registry(), skills, channelProblems(channels),
            embeddings == null ? null : embeddings::stats), pipeline::erase, retention::prune);
    new MetricsSampler(vertx, metrics, Map.of("postgres", storage::pingPostgres, "redis", storage::pingRedis),
        outbox::backlog).start();
    // Deployed in this order (after inference); stopped HTTP first (no new work), then the pipeline (finish the
    // turns in hand), then the outbox (it delivers what those turns committed until it stops), then inference.
    return vertx.deployVerticle(delivery).onSuccess(deployments::add)
        .compose(v -> vertx.deployVerticle(pipeline.verticle()).onSuccess(deployments::add))
        .compose(v -> {
          // The first server binds the configured port (0 = any free one); the others share the bound port.
          HttpVerticle first = new HttpVerticle(config.http().port(), config.http().requestTimeLimit(),
              channels.values(), storage, skills, admin, metrics);
          return vertx.deployVerticle(first).onSuccess(deployments::add).map(id -> first.actualPort());
        })
        .compose(port -> deployMoreServers(vertx, instances - 1, port, config.http().requestTimeLimit(), channels,
            storage, skills, admin, metrics)
            .onSuccess(id -> {
              if (id != null) {
                deployments.add(id);
              }
            })
            .compose(id -> Future.all(channels.values().stream().map(ChannelAdapter::start).toList()))
            .map(started -> new Gateway(vertx, storage, skills, runner, channels, deployments, port,
                config, embeddings, semantic, kept, retention, tracing)))
        .recover(e -> undeployAll(vertx, deployments).eventually(() -> {
          runner.close();
          return Future.succeededFuture();
        }).transform(v -> Future.failedFuture(e)));
  }

  /** Each channel's health for {@code switchboard_channel_up}, read at each scrape (channels are added later). */
  private static Map<String, java.util.function.Supplier<String>> channelProblems(
      Map<String, ChannelAdapter> channels) {
    Map<String, java.util.function.Supplier<String>> problems = new LinkedHashMap<>();
    channels.forEach((name, adapter) -> problems.put(name, adapter::problem));
    return problems;
  }

  /** How each channel's replies reach the sender, decided when a message is admitted. */
  private static DeliveryPolicy.Resolver deliveryPolicy(Map<String, ChannelAdapter> channels) {
    return (channel, replyAddress) -> {
      ChannelAdapter adapter = channels.get(channel.value());
      return adapter == null ? DeliveryPolicy.DELIVER
          : new DeliveryPolicy(adapter.needsDelivery(replyAddress), adapter.deliveryHold(replyAddress));
    };
  }

  /** Routing, the skill runner and what skills reach models through; the embedder and chat may be absent. */
  private static Pipeline.SkillServices skillServices(GatewayConfig config, SkillLibrary skills,
      SkillRunner runner, EventBusEmbedder embedder, SemanticIndex semantic, ChatCompletionClient chat) {
    GatewayConfig.Llm llm = config.inference().llm();
    return new Pipeline.SkillServices(
        new SkillRouter(skills::current, semantic == null ? SemanticMatcher.NONE : semantic), runner,
        config.skills().config(),
        new SkillInferenceClient(embedder, () -> embedder == null ? null : embedder.model(), chat,
            Duration.ofSeconds(10)),
        new Moderation(moderation(config.moderation()), embedder),
        chat == null ? HistoryLimits.OFF : new HistoryLimits(llm.historyTurns(), llm.historyChars()));
  }

  private static ChatCompletionClient chatClient(Vertx vertx, GatewayConfig.Llm llm) {
    if (!llm.enabled()) {
      return null;
    }
    return new ChatCompletionClient(vertx, new ChatCompletionClient.Settings(llm.baseUrl().get(), llm.model().get(),
        llm.apiKey().map(Secret::value).orElse(null), llm.timeout(), llm.maxTokens()));
  }

  private static Moderation.Settings moderation(GatewayConfig.Moderation m) {
    return new Moderation.Settings(m.blockedKeywords().stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList(),
        m.blockedPatterns().stream()
            .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)).toList(),
        m.blockedExamples(), m.threshold(), m.reply());
  }

  private static Future<String> deployMoreServers(Vertx vertx, int count, int port, Duration requestTimeLimit,
      Map<String, ChannelAdapter> channels, Storage storage, SkillLibrary skills, AdminApi admin,
      GatewayMetrics metrics) {
    if (count <= 0) {
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(
        () -> new HttpVerticle(port, requestTimeLimit, channels.values(), storage, skills, admin, metrics),
        new io.vertx.core.DeploymentOptions().setInstances(count));
  }

  /** The port the HTTP server listens on. */
  private static void prune(Retention retention) {
    retention.prune()
        .onSuccess(removed -> LOG.info("retention: removed {} replies, {} messages, {} sessions",
            removed.getInteger("replies"), removed.getInteger("messages"), removed.getInteger("sessions")))
        .onFailure(e -> LOG.warn("retention: pruning failed, tried again next hour: {}", e.toString()));
  }

  /** The banner's line about the admin token: the token itself only when this start generated it. */
  String adminTokenLine() {
    Path file = config.dataDir().resolve(KeptValues.ADMIN_TOKEN_FILE);
    return switch (kept.adminTokenSource()) {
      case "configured" -> "token from admin.token (/admin, /metrics)";
      case "generated" -> kept.adminToken() + " (generated now and kept in " + file
          + "; shown this once) for /admin and /metrics";
      default -> "token in " + file + " (Authorization: Bearer ...) for /admin and /metrics";
    };
  }

  public int port() {
    return port;
  }

  public Storage storage() {
    return storage;
  }

  public SkillLibrary skills() {
    return skills;
  }

  public Map<String, ChannelAdapter> channels() {
    return channels;
  }

  /** One line on the models: the embedding model and the language model, or that they are off. */
  public String inferenceSummary() {
    GatewayConfig.Inference inference = config.inference();
    String embeddings = !inference.embeddingsOn() ? "no embedding model"
        : this.embeddings == null ? inference.model() + " FAILED to load (see the log)"
        : inference.model() + " (semantic routing, faq)";
    GatewayConfig.Llm llm = inference.llm();
    return embeddings + "; " + (llm.enabled() ? "LLM " + llm.model().orElse("") + " for chat" : "no LLM (chat off)");
  }

  public boolean virtualThreads() {
    return runner.virtualThreads();
  }

  /**
   * Stops taking requests, lets in-flight turns finish, stops delivery, then closes storage (stopping embedded
   * servers).
   */
  public Future<Void> stop() {
    vertx.cancelTimer(retentionTimer);
    if (semantic != null) {
      semantic.stop(); // its refresh timer would fire into the worker pool Vert.x is closing
    }
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    return undeployAll(vertx, reversed)
        .eventually(() -> Future.join(channels.values().stream().map(ChannelAdapter::stop).toList()))
        .eventually(() -> vertx.executeBlocking(() -> {
          runner.close();
          skills.close();
          tracing.close(); // sends the spans still buffered
          if (embeddings != null) {
            embeddings.close(); // after the inference verticle is gone: requests in flight got their answers
          }
          return null;
        }, false))
        .eventually(() -> storage.close(vertx));
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain;
  }
}
