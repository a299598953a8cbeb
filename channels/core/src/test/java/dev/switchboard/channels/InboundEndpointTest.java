package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared endpoint over real HTTP, with a channel whose "signature" is a header and whose body is text. */
class InboundEndpointTest {
  private static final ChannelId CHANNEL = new ChannelId("test");

  private final Vertx vertx = Vertx.vertx();
  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private volatile boolean storageDown;
  private HttpServer server;
  private HttpClient client;

  /** The platform: {@code X-Sig: ok} signs; "ping" is answered at once; "a,b" is two messages; "skip" is skipped. */
  private final InboundEndpoint.Platform platform = new InboundEndpoint.Platform() {
    @Override
    public void verify(HttpServerRequest request, Buffer raw) {
      if (!"ok".equals(request.getHeader("X-Sig"))) {
        throw ApiError.unauthenticated("bad signature");
      }
    }

    @Override
    public InboundEndpoint.Inbound read(HttpServerRequest request, Buffer raw) {
      String text = raw.toString();
      if (text.isEmpty()) {
        throw ApiError.invalid("invalid_body", "empty", null);
      }
      if (text.equals("ping")) {
        return new InboundEndpoint.Inbound.Answer(new JsonObject().put("type", 1));
      }
      if (text.equals("skip")) {
        return InboundEndpoint.Inbound.record(List.of(
            new Mapping.Skip(CHANNEL, new MessageId("s1"), new JsonObject(), "not for us")));
      }
      List<Mapping> messages = java.util.Arrays.stream(text.split(",")).map(id -> (Mapping) new Mapping.Handle(
          new Envelope(new MessageId(id), CHANNEL, new ConversationKey(CHANNEL, "c"), new Sender("u", null),
              new Content.Text(id), null, null, Instant.now(), raw.length()),
          () -> new JsonObject().put("to", id))).toList();
      return new InboundEndpoint.Inbound.Record(messages,
          () -> Future.succeededFuture(new JsonObject().put("acked", recorded.size())));
    }
  };

  /** Records in memory; fails while {@link #storageDown}. */
  private final InboundGateway gateway = new InboundGateway() {
    @Override
    public Future<Admission> admit(Envelope envelope, JsonObject replyAddress) {
      if (storageDown) {
        return Future.failedFuture(new java.net.ConnectException("PostgreSQL is down"));
      }
      recorded.add(envelope.id().value() + " -> " + replyAddress.getString("to"));
      return Future.succeededFuture(new Admission(false));
    }

    @Override
    public Future<Admission> recordSkipped(ChannelId channel, MessageId id, JsonObject raw, String reason) {
      recorded.add("skipped " + id.value() + ": " + reason);
      return Future.succeededFuture(new Admission(false));
    }

    @Override
    public Future<Integer> markRepliedInline(ChannelId channel, MessageId id) {
      return notUsedHere();
    }

    @Override
    public Future<Boolean> recordDeliveryStatus(ChannelId channel, String platformMessageId, String status,
        String error) {
      return notUsedHere();
    }

    @Override
    public Future<MessageReport> report(ChannelId channel, MessageId id) {
      return notUsedHere();
    }

    @Override
    public Future<MessageReport> awaitReport(ChannelId channel, MessageId id, Duration maxWait) {
      return notUsedHere();
    }
  };

  record Answer(int status, String body, String retryAfter) {}

  /** The endpoint only records: asking the gateway for anything else fails the test. */
  private static <T> Future<T> notUsedHere() {
    return Future.failedFuture(new AssertionError("the inbound endpoint only admits and records skips"));
  }

  @BeforeEach
  void start() {
    Router router = Router.router(vertx);
    InboundEndpoint.mount(router, "/hook", 100, gateway, platform);
    router.route().failureHandler(ctx -> HttpResponses.error(ctx, ctx.failure() instanceof ApiError e ? e
        : ApiError.of(ctx.statusCode(), "failed", "failed")));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    // a connection per request, and a time limit: the test is about the endpoint's answers, and a lost answer
    // fails it instead of stalling the build
    client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aSignedRequestIsRecordedThenAcked() {
    Answer answer = post("ok", "m1,m2");
    assertEquals(200, answer.status());
    assertEquals(new JsonObject().put("acked", 2), new JsonObject(answer.body()), "acked after both were stored");
    assertEquals(List.of("m1 -> m1", "m2 -> m2"), recorded);
    assertEquals(200, post("ok", "skip").status());
    assertEquals("skipped s1: not for us", recorded.get(2));
  }

  @Test
  void anAnswerIsGivenWithoutRecording() {
    Answer answer = post("ok", "ping");
    assertEquals(new JsonObject().put("type", 1), new JsonObject(answer.body()));
    assertTrue(recorded.isEmpty());
  }

  @Test
  void badRequestsGetTheirStatusAndNothingIsRecorded() {
    assertEquals(401, post("forged", "m1").status());
    assertEquals(400, post("ok", "").status());
    assertEquals(413, post("ok", "m".repeat(101)).status());
    assertTrue(recorded.isEmpty());
  }

  @Test
  void whatCannotBeStoredIsNotAckedSoThePlatformSendsItAgain() {
    storageDown = true;
    Answer down = post("ok", "m1");
    assertEquals(503, down.status());
    assertEquals("5", down.retryAfter());
    assertTrue(new JsonObject(down.body()).containsKey("error"));
    storageDown = false;
    assertEquals(200, post("ok", "m1").status());
    assertEquals(List.of("m1 -> m1"), recorded);
  }

  private Answer post(String signature, String body) {
    return client.request(new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.POST)
            .setPort(server.actualPort()).setHost("127.0.0.1").setURI("/hook").setTimeout(10_000))
        .compose(req -> req.putHeader("X-Sig", signature).send(body))
        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString(),
            response.getHeader("Retry-After"))))
        .await();
  }
}
