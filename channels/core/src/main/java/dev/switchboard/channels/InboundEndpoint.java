package dev.switchboard.channels;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of a platform's inbound HTTP endpoint: raw body (within a size limit: 413 beyond it) → the
 * platform's signature or secret (401) → parse (400 for what is not the platform's payload) → {@link Mapping}s →
 * recorded durably → acknowledged. The platform gets its 2xx only once everything is stored, and a 503 with
 * {@code Retry-After} when it could not be, so it sends again and nothing is lost.
 */
public final class InboundEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(InboundEndpoint.class);


  /** What one channel's endpoint knows about its platform. */
  public interface Platform {
    /** Refuses, by throwing {@link ApiError}, a request whose headers alone show it is not the platform's. */
    default void checkHeaders(HttpServerRequest request) {}

    /** Refuses, by throwing {@link ApiError#unauthenticated}, a body not signed by the platform. */
    default void verify(HttpServerRequest request, Buffer raw) {}

    /** Reads a verified body; throws {@link ApiError} (400) for one that is not a platform payload. */
    Inbound read(HttpServerRequest request, Buffer raw);
  }

  /** What a request asks for. */
  public sealed interface Inbound {
    /** Answered at once, nothing to record (a URL check, a ping). */
    record Answer(JsonObject body) implements Inbound {}

    /** Records these, then acknowledges with what {@code ack} answers ({@code null}: an empty 200). */
    record Record(List<Mapping> mappings, Supplier<Future<JsonObject>> ack) implements Inbound {
      public Record {
        mappings = List.copyOf(mappings);
      }
    }

    /** Records these, then answers {@code {}}. */
    static Inbound record(List<Mapping> mappings) {
      return new Record(mappings, () -> Future.succeededFuture(new JsonObject()));
    }
  }

  private InboundEndpoint() {}

  /** Serves {@code POST path} for a platform. */
  public static void mount(Router router, String path, int bodyLimit, InboundGateway gateway, Platform platform) {
    router.post(path).handler(ctx -> {
      platform.checkHeaders(ctx.request());
      ctx.next();
    });
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
        .handler(ctx -> handle(ctx, gateway, platform));
  }

  private static void handle(RoutingContext ctx, InboundGateway gateway, Platform platform) {
    Buffer raw = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    platform.verify(ctx.request(), raw);
    Inbound inbound = platform.read(ctx.request(), raw);
    if (inbound instanceof Inbound.Answer answer) {
      HttpResponses.json(ctx, 200, answer.body());
      return;
    }
    Inbound.Record record = (Inbound.Record) inbound;
    record(gateway, record.mappings())
        .transform(stored -> {
          if (stored.succeeded()) {
            return record.ack().get();
          }
          LOG.warn("{} not recorded, answered 503 so the platform sends it again: {}", ctx.request().path(),
              stored.cause().toString());
          return Future.failedFuture(ApiError.unavailable("the request could not be recorded; try again", 5));
        })
        .onSuccess(body -> {
          if (body == null) {
            ctx.response().setStatusCode(200).end();
          } else {
            HttpResponses.json(ctx, 200, body);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Records the mappings one after the other, in the platform's order (two messages of one batch must keep
   * their order in the conversation); succeeds once all are stored.
   */
  public static Future<Void> record(InboundGateway gateway, List<Mapping> mappings) {
    Future<Admission> chain = Future.succeededFuture();
    for (Mapping mapping : mappings) {
      chain = chain.compose(previous -> mapping.record(gateway));
    }
    return chain.mapEmpty();
  }
}
