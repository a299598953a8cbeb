package dev.switchboard.app.tracing;

import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.spi.Envelope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One OpenTelemetry trace per message, exported over OTLP/HTTP when {@code tracing.otlp-endpoint} is set: a span
 * for its ingress (continuing the caller's W3C {@code traceparent} when it sent one), its turn, with the skill and
 * the routing (where semantic routing asks the embedding model) inside, and each delivery of its replies. The
 * pipeline hands a message from thread to thread, so each message's trace context is kept here, by message, in
 * a bounded map: a message handled on another node, or delivered after a restart, starts a trace of its own there.
 */
public final class Tracing implements AutoCloseable {
  /** No tracing: spans cost nothing and nothing is kept. */
  public static final Tracing OFF = new Tracing(null, TracerProvider.noop().get("switchboard"));

  private static final int KEPT = 10_000;
  private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("switchboard.message_id");
  private static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("switchboard.conversation");
  private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return Collections.singletonList("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final Map<String, Context> byMessage = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
          return size() > KEPT;
        }
      });

  private Tracing(SdkTracerProvider provider, Tracer tracer) {
    this.provider = provider;
    this.tracer = tracer;
  }

  /** Traces exported to an OTLP/HTTP collector at {@code endpoint} (its base URL, e.g. port 4318). */
  public static Tracing toCollector(String endpoint) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(endpoint.replaceAll("/+$", "") + "/v1/traces").build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "switchboard"))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    return new Tracing(provider, provider.get("switchboard"));
  }

  private boolean on() {
    return provider != null;
  }

  private static String key(Envelope envelope) {
    return key(envelope.channel().value(), envelope.id().value());
  }

  private static String key(String channel, String messageId) {
    return PendingMessage.key(channel, messageId);
  }

  /**
   * Records a message's ingress in a span, from its arrival until the admission completes, under the caller's
   * trace if it sent one. The span is the message's before the admission hands it to a lane, so the turn that
   * may start at once hangs under it.
   */
  public <T> Future<T> ingress(Envelope envelope, String traceparent, Supplier<Future<T>> admission) {
    if (!on()) {
      return admission.get();
    }
    Context parent = traceparent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    Span ingress = tracer.spanBuilder("ingress " + envelope.channel().value()).setParent(parent)
        .setStartTimestamp(envelope.receivedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
        .setAllAttributes(attributes(envelope)).startSpan();
    byMessage.putIfAbsent(key(envelope), parent.with(ingress)); // a repeat keeps the first one's trace
    return ended(ingress, admission.get());
  }

  /** Runs the message's turn in a span of its own (under its ingress when this node recorded it). */
  public <T> Future<T> turn(Envelope envelope, Supplier<Future<T>> turn) {
    if (!on()) {
      return turn.get();
    }
    String key = key(envelope);
    Span span = tracer.spanBuilder("turn").setParent(byMessage.getOrDefault(key, Context.root()))
        .setAllAttributes(attributes(envelope)).startSpan();
    // the steps and the deliveries that follow hang under the turn
    byMessage.put(key, byMessage.getOrDefault(key, Context.root()).with(span));
    return ended(span, turn.get());
  }

  /** Runs a step of a message's handling ({@code skill todo}, {@code route}, {@code deliver slack}) in a span. */
  public <T> Future<T> step(String channel, String messageId, String name, Supplier<Future<T>> step) {
    if (!on()) {
      return step.get();
    }
    Span span = tracer.spanBuilder(name).setParent(byMessage.getOrDefault(key(channel, messageId), Context.root()))
        .setAttribute(MESSAGE, messageId).startSpan();
    return ended(span, step.get());
  }

  private static <T> Future<T> ended(Span span, Future<T> work) {
    return work.onComplete(done -> {
      if (done.failed()) {
        span.setStatus(StatusCode.ERROR, String.valueOf(done.cause().getMessage()));
      }
      span.end();
    });
  }

  private static Attributes attributes(Envelope envelope) {
    return Attributes.of(MESSAGE, envelope.id().value(), CONVERSATION, envelope.conversation().asString());
  }

  /** Sends what is still buffered and stops. */
  @Override
  public void close() {
    if (on()) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
