package dev.switchboard.channels.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.element.BlockElement;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChunkedSender;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Leases;
import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.PlatformAnswers;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final Leases leases;
  private final InboundGateway gateway;
  private final SlackSettings settings;
  private final AtomicBoolean socketConnected = new AtomicBoolean();
  private String socketDeployment;
  private final SlackApiClient api;
  /** How long a slash command's replies wait for the HTTP answer before going to {@code response_url}. */
  static final Duration COMMAND_HOLD = Duration.ofSeconds(3);

  private final SlackEventsHandler events;
  private final SlackCommandsHandler commands;
  private final SlackInteractivityHandler interactivity;
  private final WebClient responses;
  private final String apiHost;
  private final AtomicReference<String> botUserId = new AtomicReference<>();
  private final AtomicReference<String> problem = new AtomicReference<>("auth.test has not answered yet");
  private long identityTimer = -1;

  /** @param leases shared with the other gateway nodes, so that one of them holds the Socket Mode connection */
  public SlackChannelAdapter(Vertx vertx, InboundGateway gateway, Leases leases, SlackSettings settings) {
    this.vertx = vertx;
    this.leases = leases;
    this.gateway = gateway;
    this.settings = settings;
    this.api = new SlackApiClient(vertx, settings);
    SlackRequestVerifier verifier = new SlackRequestVerifier(settings.signingSecret());
    this.events = new SlackEventsHandler(gateway, verifier, botUserId::get);
    this.apiHost = URI.create(settings.apiBaseUrl()).getHost();
    this.commands = new SlackCommandsHandler(gateway, verifier, this::allowedResponseUrl);
    this.interactivity = new SlackInteractivityHandler(gateway, verifier);
    this.responses = PlatformAnswers.client(vertx, "Switchboard");
  }

  /**
   * Only Slack's own hosts receive replies: {@code hooks.slack.com} over HTTPS, or the host of the configured
   * API base URL (a self-hosted proxy, or a fake in tests).
   */
  boolean allowedResponseUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("https".equals(uri.getScheme()) && "hooks.slack.com".equals(uri.getHost()))
          || (uri.getHost() != null && uri.getHost().equals(apiHost) && uri.getScheme() != null
              && uri.getScheme().startsWith("http"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public ChannelId id() {
    return SlackMapper.CHANNEL;
  }

  @Override
  public void mount(Router router) {
    if (settings.signingSecret() == null) {
      return; // Socket Mode only: Slack sends nothing over HTTP
    }
    events.mount(router);
    commands.mount(router);
    interactivity.mount(router);
  }

  @Override
  public java.time.Duration deliveryHold(JsonObject replyAddress) {
    return SlackAddress.from(replyAddress).responseUrl() != null ? COMMAND_HOLD : Duration.ZERO;
  }

  @Override
  public Future<Void> start() {
    return authTest().compose(v -> {
      if (!settings.socketMode()) {
        return Future.succeededFuture();
      }
      String lease = Leases.nameFor("slack-socket", settings.appToken());
      return vertx.deployVerticle(new SlackSocketModeVerticle(api, settings.appToken(), gateway, leases, lease,
              events, commands, interactivity, socketConnected))
          .onSuccess(id -> socketDeployment = id).mapEmpty();
    });
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
    String identity = problem.get();
    if (identity != null) {
      return identity;
    }
    if (settings.socketMode() && socketDeployment != null && !socketConnected.get()) {
      return "Socket Mode connection is down (or held by another node)";
    }
    return null;
  }

  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    SlackAddress address = SlackAddress.from(outbound.replyAddress());
    if (address.responseUrl() != null) {
      return respond(address.responseUrl(), outbound);
    }
    return ChunkedSender.send(outbound.reply().text(), SlackApiClient.MAX_TEXT, (text, first, last) ->
        api.call("chat.postMessage", postMessageBody(outbound.reply(), address, SlackMapper.escape(text), last))
            .map(answer -> answer.ok() ? new DeliveryResult.Delivered(answer.body().getString("ts"))
                : SlackApiClient.failure(answer)));
  }

  /**
   * {@code chat.postMessage} arguments: same channel and thread; choices as Block Kit buttons (built with Slack's
   * own model) on the last part.
   */
  static JsonObject postMessageBody(Reply reply, SlackAddress address, String escapedText, boolean last) {
    JsonObject body = new JsonObject().put("channel", address.channel()).put("text", escapedText)
        .put("unfurl_links", false).put("unfurl_media", false);
    if (address.threadTs() != null) {
      body.put("thread_ts", address.threadTs());
    }
    if (last && reply instanceof Reply.Choices choices) {
      List<BlockElement> buttons = new ArrayList<>();
      for (int i = 0; i < choices.choices().size() && i < 25; i++) {
        Choice choice = choices.choices().get(i);
        String actionId = "choice-" + i;
        buttons.add(button(b -> b.actionId(actionId).text(plainText(choice.label())).value(choice.value())));
      }
      body.put("blocks", SlackModel.blocks(asBlocks(section(s -> s.text(markdownText(escapedText))),
          actions(buttons))));
    }
    return body;
  }

  /**
   * A slash command's late reply through its {@code response_url} (valid 30 minutes, 5 uses): ephemeral, unless
   * the skill asked for everyone to see it.
   */
  private Future<DeliveryResult> respond(String url, Outbound outbound) {
    JsonObject body = responseBody(outbound.reply().text(), outbound.visibleToAll());
    return responses.postAbs(url).timeout(20_000).sendJsonObject(body).map(response -> {
      int status = response.statusCode();
      return status >= 200 && status < 300 ? new DeliveryResult.Delivered(null)
          : PlatformAnswers.refused(status, false, PlatformAnswers.retryAfter(response.getHeader("Retry-After")),
              "Slack response_url answered " + status);
    }).otherwise(e -> PlatformAnswers.refused(0, false, null,
        "Slack response_url failed: " + e.getClass().getSimpleName()));
  }

  /** A slash command's answer: {@code ephemeral} (the invoking user only) or {@code in_channel}. */
  static JsonObject responseBody(String text, boolean visibleToAll) {
    return new JsonObject().put("response_type", visibleToAll ? "in_channel" : "ephemeral")
        .put("text", SlackMapper.escape(text));
  }

  @Override
  public String describe() {
    return settings.socketMode() ? "slack (Socket Mode)"
        : "slack (POST /slack/events, /slack/commands, /slack/interactivity)";
  }

  @Override
  public Future<Void> stop() {
    if (identityTimer >= 0) {
      vertx.cancelTimer(identityTimer);
    }
    if (socketDeployment != null) {
      return vertx.undeploy(socketDeployment).eventually(() -> {
        api.close();
        responses.close();
        return Future.succeededFuture();
      });
    }
    api.close();
    responses.close();
    return Future.succeededFuture();
  }
}
