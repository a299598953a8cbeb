package dev.switchboard.channels.slack;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.TextChunks;
import dev.switchboard.spi.ChannelId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack channel over HTTP (Events API): mentions and direct messages in, {@code chat.postMessage} out, in
 * the same channel and thread, with {@code & < >} escaped and long texts split.
 */
public final class SlackChannelAdapter implements ChannelAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SlackChannelAdapter.class);
  private static final Duration IDENTITY_RETRY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final SlackApiClient api;
  private final SlackEventsHandler events;
  private final AtomicReference<String> botUserId = new AtomicReference<>();
  private final AtomicReference<String> problem = new AtomicReference<>("auth.test has not answered yet");
  private long identityTimer = -1;

  public SlackChannelAdapter(Vertx vertx, InboundGateway gateway, SlackSettings settings) {
    this.vertx = vertx;
    this.api = new SlackApiClient(vertx, settings);
    this.events = new SlackEventsHandler(gateway, new SlackRequestVerifier(settings.signingSecret()), botUserId::get);
  }

  @Override
  public ChannelId id() {
    return SlackMapper.CHANNEL;
  }

  @Override
  public void mount(Router router) {
    events.mount(router);
  }

  @Override
  public Future<Void> start() {
    return authTest();
  }

  /** {@code auth.test}: the bot's own user id (to ignore its own messages). Retried until it answers. */
  private Future<Void> authTest() {
    return api.call("auth.test", new JsonObject()).map(answer -> {
      if (answer.ok()) {
        botUserId.set(answer.body().getString("user_id"));
        problem.set(null);
      } else {
        problem.set("auth.test failed: " + answer.error());
        LOG.warn("Slack auth.test failed ({}); retrying in {} s", answer.error(), IDENTITY_RETRY.toSeconds());
        identityTimer = vertx.setTimer(IDENTITY_RETRY.toMillis(), id -> authTest());
      }
      return null;
    });
  }

  @Override
  public String problem() {
    return problem.get();
  }

  @Override
  public boolean needsDelivery(JsonObject replyAddress) {
    return true;
  }

  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    List<String> parts = TextChunks.split(outbound.reply().text(), SlackApiClient.MAX_TEXT).stream()
        .map(SlackMapper::escape).toList();
    return post(outbound, parts, 0, null);
  }

  private Future<DeliveryResult> post(Outbound outbound, List<String> parts, int index, String lastTs) {
    if (index >= parts.size()) {
      return Future.succeededFuture(new DeliveryResult.Delivered(lastTs));
    }
    JsonObject address = outbound.replyAddress();
    JsonObject body = new JsonObject().put("channel", address.getString("channel")).put("text", parts.get(index))
        .put("unfurl_links", false).put("unfurl_media", false);
    if (address.getString("thread_ts") != null) {
      body.put("thread_ts", address.getString("thread_ts"));
    }
    return api.call("chat.postMessage", body).compose(answer -> answer.ok()
        ? post(outbound, parts, index + 1, answer.body().getString("ts"))
        : Future.succeededFuture(SlackApiClient.failure(answer)));
  }

  @Override
  public String describe() {
    return "slack (Events API POST /slack/events)";
  }

  @Override
  public Future<Void> stop() {
    if (identityTimer >= 0) {
      vertx.cancelTimer(identityTimer);
    }
    api.close();
    return Future.succeededFuture();
  }
}
