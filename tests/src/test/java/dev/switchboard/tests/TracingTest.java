package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With {@code tracing.otlp-endpoint} set, one message is one trace at an OTLP/HTTP collector (a fake on
 * loopback that decodes what it receives): ingress, turn, route, skill and delivery, continuing the caller's
 * {@code traceparent}.
 */
class TracingTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";

  @Test
  void oneMessageIsOneTraceUnderTheCallersTraceparent() throws Exception {
    List<Span> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()).getResourceSpansList()
          .forEach(r -> r.getScopeSpansList().forEach(s -> received.addAll(s.getSpansList())));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.createContext("/callback", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    int port = collector.getAddress().getPort();
    try (GatewayProcess gateway = GatewayProcess.start("tracing", Map.of(
        "SWITCHBOARD_TRACING_OTLP_ENDPOINT", "http://127.0.0.1:" + port,
        "SWITCHBOARD_CHANNELS_WEBHOOK_CALLBACK_ALLOW", "127.0.0.1"))) {
      Api.Answer answer = new Api(gateway).post("/v1/messages", new JsonObject()
              .put("sender", new JsonObject().put("id", "traced")).put("text", "/help")
              .put("callback_url", "http://127.0.0.1:" + port + "/callback").encode(),
          Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"));
      assertEquals(200, answer.status(), answer.raw().body());

      Set<String> expected = Set.of("ingress webhook", "turn", "route", "skill help", "deliver webhook");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!names(received, TRACE_ID).containsAll(expected) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(names(received, TRACE_ID).containsAll(expected), "spans of the trace: " + names(received, TRACE_ID)
          + "; all received: " + names(received, null));
      Span ingress = received.stream().filter(s -> s.getName().equals("ingress webhook")).findFirst().orElseThrow();
      assertEquals(CALLER_SPAN, hex(ingress.getParentSpanId().toByteArray()), "the caller's span is the parent");
    } finally {
      collector.stop(0);
    }
  }

  private static Set<String> names(List<Span> spans, String traceId) {
    return new ArrayList<>(spans).stream()
        .filter(s -> traceId == null || hex(s.getTraceId().toByteArray()).equals(traceId))
        .map(Span::getName).collect(Collectors.toSet());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
