package dev.switchboard.tests;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput and latency of {@code POST /v1/messages} through the whole durable path, next to a bare Vert.x
 * server that parses the same JSON and answers, measured in one run on the same machine. Prints figures; asserts
 * nothing about speed. Run it with the command in the README.
 */
@Tag("benchmark")
class WebhookBenchmark {
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 50);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);

  /** One load run's figures. */
  record Figures(String name, long requests, long errors, double seconds, long[] latenciesMicros) {
    String line() {
      long[] sorted = latenciesMicros.clone();
      Arrays.sort(sorted);
      return String.format("%-34s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d (%d requests in %.1f s)",
          name, requests / seconds, percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0, errors,
          requests, seconds);
    }

    private static long percentile(long[] sorted, int p) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
  }

  @Test
  void durablePathNextToBareVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GatewayProcess gateway = GatewayProcess.start("benchmark", java.util.Map.of())) {
      HttpServer bare = vertx.createHttpServer()
          .requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            req.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("id", json.getString("id")).put("status", "accepted").toBuffer());
          }))
          .listen(0, "127.0.0.1").await();
      List<Figures> results = new ArrayList<>();
      results.add(load(vertx, "bare Vert.x (parse + reply)", bare.actualPort(), "/"));
      results.add(load(vertx, "switchboard wait=0 (durable ack)", gateway.uri("/").getPort(), "/v1/messages?wait=0"));
      results.add(load(vertx, "switchboard wait=10 (reply)", gateway.uri("/").getPort(), "/v1/messages"));
      System.out.println();
      System.out.printf("%d connections, %d s each, 1 KB bodies, one machine (client and servers share its cores)%n",
          CONNECTIONS, SECONDS);
      results.forEach(f -> System.out.println(f.line()));
      System.out.println();
      bare.close().await();
    } finally {
      vertx.close().await();
    }
  }

  private static Figures load(Vertx vertx, String name, int port, String path) {
    var client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    String padding = "x".repeat(900);
    AtomicLong sequence = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[] latencies = new long[4_000_000];
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + SECONDS * 1_000_000_000L;
    long start = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      Promise<Void> done = Promise.promise();
      workers.add(done.future());
      vertx.runOnContext(v -> next(client, path, padding, sequence, errors, latencies, count, end, done));
    }
    Future.all(workers).await();
    double seconds = (System.nanoTime() - start) / 1e9;
    client.close().await();
    int n = (int) Math.min(count.get(), latencies.length);
    return new Figures(name, count.get(), errors.get(), seconds, Arrays.copyOf(latencies, n));
  }

  private static void next(io.vertx.core.http.HttpClient client, String path, String padding, AtomicLong sequence,
      AtomicLong errors, long[] latencies, AtomicLong count, long end, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.tryComplete();
      return;
    }
    long n = sequence.incrementAndGet();
    Buffer body = new JsonObject().put("id", "bench-" + System.nanoTime() + "-" + n)
        .put("sender", new JsonObject().put("id", "bench-" + (n % 1000)))
        .put("text", "/todo list " + padding).toBuffer();
    long t0 = System.nanoTime();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
            .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(resp.statusCode()))
        .onComplete(ar -> {
          long i = count.getAndIncrement();
          if (i < latencies.length) {
            latencies[(int) i] = (System.nanoTime() - t0) / 1000;
          }
          if (ar.failed() || ar.result() >= 300) {
            errors.incrementAndGet();
          }
          next(client, path, padding, sequence, errors, latencies, count, end, done);
        });
  }
}
