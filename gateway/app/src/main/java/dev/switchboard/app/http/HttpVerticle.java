package dev.switchboard.app.http;

import dev.switchboard.app.health.OutageWarning;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillHealth;
import dev.switchboard.app.skills.SkillLibrary;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.app.storage.Storage;
import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.HttpResponses;
import dev.switchboard.channels.RequestAuth;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.SkillDescriptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: each channel's routes, health, admin, and one JSON shape for every error. Several
 * instances share the port (one per event loop).
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(35);

  private final int port;
  private final Collection<ChannelAdapter> channels;
  private final Storage storage;
  private final GatewayMetrics traffic;
  private RouteLabels routes = RouteLabels.NONE;
  private final SkillLibrary skills;
  private final RequestAuth adminAuth;
  private final Function<String, Future<JsonObject>> eraseConversation;
  private final Supplier<Future<JsonObject>> pruneNow;
  private final java.time.Duration requestTimeLimit;
  private final InferenceAdminRoutes inference;
  private final MetricsEndpoint metrics;
  /**
   * Outages the SQL client reports without a type of its own: a pooled connection whose server went away, and no
   * connection to be had from the pool in time.
   */
  private static final List<String> OUTAGE_MESSAGES =
      List.of("Connection is not active now", "Timeout waiting for connection");
  private final OutageWarning storageOutage = new OutageWarning(LOG, "storage");
  private HttpServer server;

  /** @param requestTimeLimit the longest a request may take, from its first byte to its answer */
  public HttpVerticle(int port, java.time.Duration requestTimeLimit, Collection<ChannelAdapter> channels,
      Storage storage, SkillLibrary skills, AdminApi admin, GatewayMetrics traffic) {
    this.traffic = traffic;
    this.requestTimeLimit = requestTimeLimit;
    this.adminAuth = admin.auth();
    this.eraseConversation = admin.eraseConversation();
    this.pruneNow = admin.pruneNow();
    this.inference = admin.inference();
    this.metrics = admin.metrics();
    this.port = port;
    this.channels = channels;
    this.storage = storage;
    this.skills = skills;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // every answer counted by route template and status; a path no route knows is "other" (bounded labels)
    router.route().handler(ctx -> {
      ctx.addEndHandler(v -> {
        int status = ctx.response().getStatusCode();
        String route = routes.labelOf(ctx.request().path());
        traffic.http(route, status);
        if (status < 300 && !route.equals("/health/live") && !route.equals("/metrics")) {
          storageOutage.answered(); // a request that needed storage got through
        }
      });
      ctx.next();
    });
    // a whole request, body and answer, within this: a body trickled a byte at a time is cut off (408). Longer
    // than the longest wait an endpoint may choose (a webhook caller's ?wait= is at most 30 s)
    router.route().handler(TimeoutHandler.create(requestTimeLimit.toMillis(), 408));
    channels.forEach(channel -> channel.mount(router));
    // the admin API and /metrics: the caller first, before any path is matched (no probing for endpoints)
    router.route("/admin/*").handler(adminAuth);
    router.get("/metrics").handler(adminAuth);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/admin/skills").handler(ctx -> HttpResponses.json(ctx, 200, skillsJson()));
    router.delete("/admin/conversations/:channel/:id").handler(this::erase);
    router.post("/admin/retention/run").handler(ctx -> {
      pruneNow.get().onSuccess(removed -> HttpResponses.json(ctx, 200, new JsonObject().put("removed", removed)))
          .onFailure(ctx::fail);
    });
    inference.mount(router);
    metrics.mount(router);
    router.route().failureHandler(this::failure);
    routes = RouteLabels.of(router);
    router.errorHandler(400, ctx -> HttpResponses.error(ctx,
        ApiError.of(400, "bad_request", "the request could not be read")));
    router.errorHandler(404, ctx -> HttpResponses.error(ctx, ApiError.notFound("no such endpoint")));
    router.errorHandler(405, ctx -> HttpResponses.error(ctx,
        ApiError.of(405, "method_not_allowed", "method not allowed on this endpoint")));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setIdleTimeout(60)
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16384));
    return server.requestHandler(router).listen(port);
  }

  /**
   * Stops accepting connections and lets requests in progress finish (a caller waiting for its reply gets it,
   * up to {@link #SHUTDOWN_GRACE}), then closes what is left.
   */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Live unless the node cannot recover by itself (then an orchestrator should restart it). */
  private void live(RoutingContext ctx) {
    storage.unrecoverable().ifPresentOrElse(
        why -> HttpResponses.json(ctx, 503, new JsonObject().put("status", "down")
            .put("error", new JsonObject().put("code", "unrecoverable").put("message", why))),
        () -> HttpResponses.json(ctx, 200, new JsonObject().put("status", "up")));
  }

  /**
   * Ready when PostgreSQL answers and every enabled channel is healthy. Redis is a cache: without it the node
   * serves from PostgreSQL, so it is still ready, and says it is degraded. The reasons (which channel, what the
   * storage said) are for admin callers only: anyone may ask whether the node is ready.
   */
  private void ready(RoutingContext ctx) {
    adminAuth.caller(ctx).transform(caller -> Future.succeededFuture(caller.succeeded()))
        .onSuccess(admin -> ready(ctx, admin));
  }

  private void ready(RoutingContext ctx, boolean admin) {
    Future<Void> redis = storage.pingRedis();
    storage.pingPostgres()
        .andThen(pg -> redis.onComplete(r -> { // both asked at once; the answer waits for both
          if (pg.failed()) {
            HttpResponses.json(ctx, 503, new JsonObject()
                .put("status", "unavailable")
                .put("error", new JsonObject().put("code", "storage_unavailable")
                    .put("message", admin ? pg.cause().getMessage() : "storage is unavailable")));
            return;
          }
          JsonObject problems = new JsonObject();
          channels.forEach(c -> {
            String problem = c.problem();
            if (problem != null) {
              problems.put(c.id().value(), problem);
            }
          });
          if (!problems.isEmpty()) {
            JsonObject error = new JsonObject().put("code", "channel_unhealthy")
                .put("message", "a channel is unhealthy");
            HttpResponses.json(ctx, 503, new JsonObject().put("status", "unavailable")
                .put("error", admin ? error.put("channels", problems) : error));
          } else if (r.failed()) {
            HttpResponses.json(ctx, 200, new JsonObject().put("status", "degraded")
                .put("degraded", new JsonObject().put("code", "cache_unavailable")
                    .put("message", admin ? r.cause().getMessage()
                        : "the cache is unavailable; serving from the database")));
          } else {
            HttpResponses.json(ctx, 200, new JsonObject().put("status", "ready"));
          }
        }));
  }

  /** {@code DELETE /admin/conversations/{channel}/{id}}: the conversation's messages, replies and session. */
  private void erase(RoutingContext ctx) {
    String conversation;
    try {
      conversation = new ConversationKey(new ChannelId(ctx.pathParam("channel")), ctx.pathParam("id")).asString();
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("invalid_conversation", "not a channel and conversation id", null);
    }
    eraseConversation.apply(conversation)
        .onSuccess(erased -> HttpResponses.json(ctx, 200, new JsonObject().put("erased", erased)))
        .onFailure(ctx::fail);
  }

  /** Every active skill (sorted by name), then everything that could not be loaded or activated. */
  private JsonObject skillsJson() {
    SkillRegistry registry = skills.current();
    JsonArray list = new JsonArray();
    for (LoadedSkill skill : registry.skills()) {
      SkillDescriptor d = skill.descriptor();
      SkillHealth.Snapshot health = skill.health().snapshot();
      JsonObject entry = new JsonObject()
          .put("name", d.name())
          .put("description", d.description())
          .put("version", d.version())
          .put("source", skill.plugin().kind().label());
      if (skill.plugin().path() != null) {
        entry.put("path", skill.plugin().path());
      }
      entry.put("state", health.quarantined() ? "quarantined" : "active");
      if (health.quarantined()) {
        entry.put("quarantined_until", health.quarantinedUntil().toString());
      }
      entry.put("commands", new JsonArray(d.commands().stream().map(c -> "/" + c).toList()))
          .put("keywords", new JsonArray(d.keywords()))
          .put("counts", new JsonObject()
              .put("handled", health.handled())
              .put("failed", health.failed())
              .put("timed_out", health.timedOut())
              .put("refused_in_quarantine", health.refused()));
      if (health.lastError() != null) {
        entry.put("last_error", health.lastError());
      }
      list.add(entry);
    }
    for (SkillRegistry.Rejected rejected : registry.rejected()) {
      JsonObject entry = new JsonObject();
      if (rejected.name() != null) {
        entry.put("name", rejected.name());
      }
      entry.put("source", rejected.kind().label());
      if (rejected.path() != null) {
        entry.put("path", rejected.path());
      }
      list.add(entry.put("state", "failed").put("reason", rejected.reason()));
    }
    return new JsonObject().put("dir", skills.dir().toString()).put("skills", list);
  }

  /** Every failure becomes a JSON error; only our own bugs become a 500, and those are logged. */
  private void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().closed()) {
      LOG.debug("{} {}: the caller went away: {}", ctx.request().method(), ctx.request().path(), String.valueOf(failure));
    } else if (failure instanceof ApiError error) {
      HttpResponses.error(ctx, error);
    } else if (ctx.statusCode() == 408) {
      ctx.response().putHeader("Connection", "close"); // a slow sender gets no second request on this connection
      HttpResponses.error(ctx, ApiError.of(408, "request_timeout", "the request took too long"));
    } else if (ctx.statusCode() == 413) {
      HttpResponses.error(ctx, ApiError.tooLarge(64 * 1024));
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      HttpResponses.error(ctx, ApiError.of(ctx.statusCode(), "bad_request", "the request could not be read"));
    } else if (isStorageOutage(failure)) {
      storageOutage.failed(failure, "requests that need it are answered 503 with Retry-After");
      HttpResponses.error(ctx, ApiError.unavailable("storage is unavailable; try again shortly", 5));
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      HttpResponses.error(ctx, ApiError.of(500, "internal", "internal error"));
    }
  }

  /** PostgreSQL or Redis unreachable, shutting down or overloaded: the caller should retry, not report a bug. */
  private static boolean isStorageOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof TimeoutException
          || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof java.net.SocketException // reset or broken pipe: the server went away mid-statement
          || t instanceof io.vertx.core.VertxException && OUTAGE_MESSAGES.stream()
              .anyMatch(String.valueOf(t.getMessage())::startsWith)
          || t instanceof io.vertx.pgclient.PgException pg && isUnavailable(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /** Class 08 (connection), 53 (resources), 57P0x (shutting down, cannot connect now). */
  private static boolean isUnavailable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P"));
  }
}
