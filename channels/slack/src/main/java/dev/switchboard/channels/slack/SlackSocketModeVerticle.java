package dev.switchboard.channels.slack;

import dev.switchboard.channels.InboundEndpoint;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.LeaderLoop;
import dev.switchboard.channels.Leases;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode: opens {@code apps.connections.open}'s WebSocket and takes events, slash commands and button
 * clicks from it, each recorded before its envelope is acked ({@code {"envelope_id"}}, with the reply as
 * payload when a slash command's reply is ready in time). Reconnects on {@code disconnect}, on close and after
 * a silence; one connection per app across gateway nodes (a lease), the others stand by.
 */
final class SlackSocketModeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SlackSocketModeVerticle.class);
  static final Duration LEASE_TTL = Duration.ofSeconds(15);
  static final Duration STANDBY_CHECK = Duration.ofSeconds(5);
  static final Duration SILENCE = Duration.ofSeconds(60);
  private static final Duration PING_EVERY = Duration.ofSeconds(20);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final SlackApiClient api;
  private final String appToken;
  private final Leases leases;
  private final String lease;
  private final SlackEventsHandler events;
  private final SlackCommandsHandler commands;
  private final SlackInteractivityHandler interactivity;
  private final AtomicBoolean connected;
  private WebSocketClient client;
  private WebSocket socket;
  private final InboundGateway gateway;
  private LeaderLoop leadership;
  private boolean stopping;
  private int failures;
  private long lastHeard;
  private long timer = -1;

  /** @param connected set while a socket is open and greeted, for health */
  SlackSocketModeVerticle(SlackApiClient api, String appToken, InboundGateway gateway, Leases leases, String lease,
      SlackEventsHandler events, SlackCommandsHandler commands, SlackInteractivityHandler interactivity,
      AtomicBoolean connected) {
    this.api = api;
    this.appToken = appToken;
    this.gateway = gateway;
    this.leases = leases;
    this.lease = lease;
    this.events = events;
    this.commands = commands;
    this.interactivity = interactivity;
    this.connected = connected;
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
        .setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    timer = vertx.setPeriodic(PING_EVERY.toMillis(), id -> watch());
    leadership = new LeaderLoop(vertx, leases, lease, LEASE_TTL, STANDBY_CHECK, new LeaderLoop.Leader() {
      @Override
      public void lead() {
        connect();
      }

      @Override
      public void standBy() {
        LOG.warn("another node took over Slack Socket Mode; standing by");
        connected.set(false);
        if (socket != null) {
          socket.close();
        }
      }
    });
    leadership.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    leadership.stop();
    Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close().otherwiseEmpty();
    return closed.eventually(() -> client.close());
  }

  /** Pings, and drops a connection that has gone quiet. */
  private void watch() {
    if (socket != null && !socket.isClosed()) {
      if (System.nanoTime() - lastHeard > SILENCE.toNanos()) {
        LOG.warn("Slack socket silent for {} s; reconnecting", SILENCE.toSeconds());
        socket.close();
      } else {
        socket.writePing(Buffer.buffer("switchboard"));
      }
    }
  }

  private void connect() {
    if (stopping) {
      return;
    }
    if (!leadership.leading()) {
      if (leadership.unconfirmed()) { // frozen past the lease: connect only once it is renewed
        vertx.setTimer(STANDBY_CHECK.toMillis() / 10, id -> connect());
      }
      return;
    }
    api.call("apps.connections.open", appToken, new JsonObject()).compose(answer -> {
      if (!answer.ok() || answer.body().getString("url") == null) {
        return Future.failedFuture("apps.connections.open failed: " + answer.error());
      }
      return client.connect(new WebSocketConnectOptions().setAbsoluteURI(answer.body().getString("url")));
    }).onSuccess(this::opened).onFailure(e -> retry(e.getMessage()));
  }

  private void opened(WebSocket ws) {
    socket = ws;
    lastHeard = System.nanoTime();
    ws.pongHandler(b -> lastHeard = System.nanoTime());
    ws.textMessageHandler(this::frame);
    ws.exceptionHandler(e -> LOG.debug("Slack socket error: {}", e.toString()));
    ws.closeHandler(v -> {
      connected.set(false);
      if (socket == ws) {
        socket = null;
        retry("socket closed");
      }
    });
  }

  private void retry(String why) {
    connected.set(false);
    if (stopping || !leadership.leading() && !leadership.unconfirmed()) {
      return;
    }
    failures++;
    long seconds = Math.min(MAX_BACKOFF.toSeconds(), failures <= 1 ? 0 : 1L << Math.min(failures - 2, 5));
    LOG.info("Slack Socket Mode: {}; reconnecting in {} s", why, seconds);
    vertx.setTimer(Math.max(1, seconds * 1000), id -> connect());
  }

  private void frame(String text) {
    lastHeard = System.nanoTime();
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      LOG.warn("Slack sent a frame that is not JSON; ignored");
      return;
    }
    String type = frame.getString("type", "");
    switch (type) {
      case "hello" -> {
        failures = 0;
        connected.set(true);
      }
      case "disconnect" -> {
        LOG.info("Slack asked to reconnect ({})", frame.getString("reason"));
        WebSocket old = socket;
        socket = null;
        connect(); // a fresh connection first, then the old one goes
        if (old != null) {
          old.close();
        }
      }
      case "events_api", "slash_commands", "interactive" -> envelope(frame, type, text.length());
      default -> LOG.debug("Slack frame type {} ignored", type);
    }
  }

  /** Records what the envelope carries, then acks it; an envelope not recorded is not acked (Slack resends). */
  private void envelope(JsonObject frame, String type, int size) {
    String id = frame.getString("envelope_id");
    JsonObject payload = frame.getValue("payload") instanceof JsonObject p ? p : new JsonObject();
    WebSocket ws = socket;
    if (id == null || ws == null) {
      return;
    }
    Future<JsonObject> handled = switch (type) {
      case "events_api" -> InboundEndpoint.record(gateway, events.mappings(payload, size)).map((JsonObject) null);
      case "interactive" ->
          InboundEndpoint.record(gateway, interactivity.mappings(payload, size)).map((JsonObject) null);
      default -> commands.handle(form(payload), size,
          Boolean.TRUE.equals(frame.getBoolean("accepts_response_payload")))
          .recover(e -> e instanceof dev.switchboard.channels.ApiError
              ? Future.succeededFuture() // a command we cannot take: acked, not handled
              : Future.failedFuture(e));
    };
    handled.onSuccess(reply -> {
      JsonObject ack = new JsonObject().put("envelope_id", id);
      if (reply != null && Boolean.TRUE.equals(frame.getBoolean("accepts_response_payload"))) {
        ack.put("payload", reply);
      }
      ws.writeTextMessage(ack.encode());
    }).onFailure(e -> LOG.warn("Slack envelope {} not recorded, not acked: {}", id, e.toString()));
  }

  /** A slash command's payload over the socket is the same fields as the HTTP form, as JSON. */
  private static Map<String, String> form(JsonObject payload) {
    Map<String, String> form = new HashMap<>();
    payload.forEach(e -> {
      if (e.getValue() instanceof String s) {
        form.put(e.getKey(), s);
      }
    });
    return form;
  }
}
