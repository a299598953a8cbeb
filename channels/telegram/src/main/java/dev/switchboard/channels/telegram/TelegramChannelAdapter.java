package dev.switchboard.channels.telegram;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChunkedSender;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Leases;
import dev.switchboard.channels.Outbound;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Telegram channel: receives updates by long polling or webhook, sends replies with {@code sendMessage}
 * (in the same chat and topic, as replies, long texts split, choices as inline buttons), paced under
 * Telegram's limits, following a group that became a supergroup.
 */
public final class TelegramChannelAdapter implements ChannelAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramChannelAdapter.class);
  private static final Duration IDENTITY_RETRY = Duration.ofSeconds(30);
  /** Polling counts as stalled when no poll was answered for this long. */
  static final Duration STALLED_AFTER = Duration.ofSeconds(2L * (TelegramPollerVerticle.POLL_SECONDS + 15));

  private final Vertx vertx;
  private final Leases leases;
  private final InboundGateway gateway;
  private final TelegramSettings settings;
  private final TelegramApiClient api;
  private final TelegramIngress ingress;
  private final TelegramWebhookHandler webhook;
  private final AtomicReference<TelegramMapper.BotIdentity> identity =
      new AtomicReference<>(new TelegramMapper.BotIdentity(0, null));
  private final AtomicReference<String> identityProblem = new AtomicReference<>("getMe has not answered yet");
  private final AtomicLong lastPoll = new AtomicLong(System.nanoTime());
  private final SendPacer pacer = new SendPacer();
  /** Groups that became supergroups: old chat id to new one. */
  private final Map<Long, Long> migrated = new ConcurrentHashMap<>();
  private String pollerDeployment;
  private long identityTimer = -1;

  /** @param leases shared with the other gateway nodes, so that only one of them polls this bot */
  public TelegramChannelAdapter(Vertx vertx, InboundGateway gateway, Leases leases, TelegramSettings settings) {
    this.vertx = vertx;
    this.leases = leases;
    this.settings = settings;
    this.api = new TelegramApiClient(vertx, settings);
    this.gateway = gateway;
    this.ingress = new TelegramIngress(api, identity::get);
    this.webhook = new TelegramWebhookHandler(gateway, ingress, settings.webhookSecret(),
        () -> identity.get().username() != null);
  }

  @Override
  public ChannelId id() {
    return TelegramMapper.CHANNEL;
  }

  @Override
  public void mount(Router router) {
    if (!settings.polling()) {
      webhook.mount(router);
    }
  }

  /**
   * Reads the bot's identity, then polls or registers the webhook. Until {@code getMe} answers (retried every
   * 30 s) nothing is received: without the bot's name, its commands in groups could not be told from others'.
   */
  @Override
  public Future<Void> start() {
    return readIdentity();
  }

  /** Starts receiving, once, after the identity is known. */
  private Future<Void> receive() {
    if (settings.polling()) {
      String lease = Leases.nameFor("telegram-poller", settings.token());
      return vertx.deployVerticle(new TelegramPollerVerticle(api, ingress, gateway, leases, lease, lastPoll))
          .onSuccess(id -> pollerDeployment = id).mapEmpty();
    }
    if (settings.webhookUrl() == null) {
      return Future.succeededFuture();
    }
    return api.setWebhook(settings.webhookUrl(), settings.webhookSecret()).map(answer -> {
      if (!answer.ok()) {
        LOG.warn("setWebhook failed: {}", answer.description());
      }
      return null;
    });
  }

  /** {@code getMe}: who the bot is. Retried in the background until it answers; never fails start-up. */
  private Future<Void> readIdentity() {
    return api.getMe().compose(answer -> {
      if (answer.ok() && answer.result() instanceof JsonObject me && me.getString("username") != null) {
        identity.set(new TelegramMapper.BotIdentity(me.getLong("id", 0L), me.getString("username")));
        identityProblem.set(null);
        lastPoll.set(System.nanoTime());
        return receive();
      }
      identityProblem.set("getMe failed: " + answer.description());
      LOG.warn("Telegram getMe failed ({}); retrying in {} s", answer.description(), IDENTITY_RETRY.toSeconds());
      identityTimer = vertx.setTimer(IDENTITY_RETRY.toMillis(), id -> readIdentity());
      return Future.succeededFuture();
    });
  }

  @Override
  public String problem() {
    String problem = identityProblem.get();
    if (problem != null) {
      return problem;
    }
    if (settings.polling() && System.nanoTime() - lastPoll.get() > STALLED_AFTER.toNanos()) {
      return "polling stalled: no getUpdates answer for " + STALLED_AFTER.toSeconds() + " s";
    }
    return null;
  }

  /** Sends the reply, split into as many messages as its length needs; the first one answers the message. */
  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    TelegramAddress address = TelegramAddress.from(outbound.replyAddress());
    return ChunkedSender.send(outbound.reply().text(), TelegramApiClient.MAX_TEXT,
        (text, first, last) -> send(sendMessageBody(outbound.reply(), address, text, first, last)));
  }

  /** One {@code sendMessage}, paced per chat, and sent again to the new chat when a group became a supergroup. */
  private Future<DeliveryResult> send(JsonObject body) {
    long chat = body.getLong("chat_id");
    Long moved = migrated.get(chat);
    if (moved != null) {
      body.put("chat_id", moved);
    }
    long to = body.getLong("chat_id");
    return paced(to).compose(v -> api.sendMessage(body)).compose(answer -> {
      if (answer.ok()) {
        String sentId = answer.result() instanceof JsonObject m ? String.valueOf(m.getValue("message_id")) : null;
        return Future.succeededFuture(new DeliveryResult.Delivered(sentId));
      }
      if (answer.retryAfter() != null) {
        pacer.backOff(to, answer.retryAfter(), System.nanoTime());
      }
      if (answer.migrateTo() != null && !migrated.containsKey(to)) {
        LOG.info("Telegram group {} became {}; sending there", to, answer.migrateTo());
        migrated.put(to, answer.migrateTo());
        return send(body);
      }
      return Future.succeededFuture(TelegramApiClient.failure(answer));
    });
  }

  /**
   * Waits for the chat's next send slot. Waits stay short: the outbox has one reply per conversation in flight
   * at a time, so only the chunks of one reply, or a few topics of one group, queue here.
   */
  private Future<Void> paced(long chat) {
    Duration wait = pacer.reserve(chat, System.nanoTime());
    if (wait.isZero()) {
      return Future.succeededFuture();
    }
    Promise<Void> slot = Promise.promise();
    vertx.setTimer(Math.max(1, wait.toMillis()), id -> slot.complete());
    return slot.future();
  }

  static JsonObject sendMessageBody(Reply reply, TelegramAddress address, String text, boolean first,
      boolean last) {
    JsonObject body = new JsonObject()
        .put("chat_id", address.chatId())
        .put("text", text)
        .put("link_preview_options", new JsonObject().put("is_disabled", true));
    if (address.threadId() != null) {
      body.put("message_thread_id", address.threadId());
    }
    if (first && address.messageId() != null) {
      body.put("reply_parameters", new JsonObject()
          .put("message_id", address.messageId())
          .put("allow_sending_without_reply", true));
    }
    if (last && reply instanceof Reply.Choices choices) {
      JsonArray rows = new JsonArray();
      for (Choice choice : choices.choices()) {
        // callback_data holds at most 64 bytes; a longer value cannot be a button
        if (choice.value().getBytes(StandardCharsets.UTF_8).length <= 64) {
          rows.add(new JsonArray().add(new JsonObject().put("text", choice.label()).put("callback_data", choice.value())));
        }
      }
      if (!rows.isEmpty()) {
        body.put("reply_markup", new JsonObject().put("inline_keyboard", rows));
      }
    }
    return body;
  }

  @Override
  public String describe() {
    String name = identity.get().username() == null ? "" : " @" + identity.get().username();
    return "telegram" + name + " (" + (settings.polling() ? "long polling" : "webhook POST /telegram/webhook") + ")";
  }

  @Override
  public Future<Void> stop() {
    if (identityTimer >= 0) {
      vertx.cancelTimer(identityTimer);
    }
    Future<Void> undeploy = pollerDeployment == null ? Future.succeededFuture() : vertx.undeploy(pollerDeployment);
    return undeploy.eventually(() -> {
      api.close();
      return Future.succeededFuture();
    });
  }
}
