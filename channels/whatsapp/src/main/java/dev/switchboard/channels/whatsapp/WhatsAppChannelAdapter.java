package dev.switchboard.channels.whatsapp;

import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ChunkedSender;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.Outbound;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WhatsApp Cloud API channel: verified and signed webhooks in; replies out as contextual replies, choices as
 * reply buttons (up to 3) or a list, and the answered message marked read.
 */
public final class WhatsAppChannelAdapter implements ChannelAdapter {
  private static final long HEALTH_EVERY_MS = 30_000;

  private final Vertx vertx;
  private final WhatsAppApiClient api;
  private final WhatsAppWebhookHandler webhook;
  private final AtomicReference<String> problem = new AtomicReference<>("the phone number has not been read yet");
  private long healthTimer = -1;

  public WhatsAppChannelAdapter(Vertx vertx, InboundGateway gateway, WhatsAppSettings settings) {
    this.vertx = vertx;
    this.api = new WhatsAppApiClient(vertx, settings);
    this.webhook = new WhatsAppWebhookHandler(gateway, settings.appSecret(), settings.verifyToken());
  }

  @Override
  public ChannelId id() {
    return WhatsAppMapper.CHANNEL;
  }

  @Override
  public void mount(Router router) {
    webhook.mount(router);
  }

  @Override
  public Future<Void> start() {
    healthTimer = vertx.setPeriodic(HEALTH_EVERY_MS, id -> checkPhone());
    return checkPhone();
  }

  private Future<Void> checkPhone() {
    return api.phoneProblem().map(p -> {
      problem.set(p);
      return null;
    });
  }

  @Override
  public String problem() {
    return problem.get();
  }

  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    WhatsAppAddress address = WhatsAppAddress.from(outbound.replyAddress());
    return ChunkedSender.send(outbound.reply().text(), WhatsAppApiClient.MAX_TEXT,
            (text, first, last) -> api.send(messageBody(outbound.reply(), address, text, first, last)))
        .onSuccess(result -> {
          if (result instanceof DeliveryResult.Delivered && outbound.position() == 0 && address.messageId() != null) {
            api.markRead(address.messageId());
          }
        });
  }

  /** One message: text, or on the last part an interactive message when the reply offers choices. */
  static JsonObject messageBody(Reply reply, WhatsAppAddress address, String text, boolean first, boolean last) {
    JsonObject body = new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual");
    if (address.to() != null) {
      body.put("to", address.to());
    } else {
      body.put("recipient", address.recipient());
    }
    if (first && address.messageId() != null) {
      body.put("context", new JsonObject().put("message_id", address.messageId()));
    }
    if (last && reply instanceof Reply.Choices choices) {
      return body.put("type", "interactive").put("interactive", interactive(text, choices.choices()));
    }
    return body.put("type", "text").put("text", new JsonObject().put("body", text).put("preview_url", false));
  }

  /** Up to three choices as reply buttons (titles up to 20 characters), more as a list (up to 10 rows). */
  static JsonObject interactive(String text, List<Choice> choices) {
    JsonObject body = new JsonObject().put("text", text);
    if (choices.size() <= 3) {
      JsonArray buttons = new JsonArray();
      choices.forEach(c -> buttons.add(new JsonObject().put("type", "reply")
          .put("reply", new JsonObject().put("id", c.value()).put("title", cut(c.label(), 20)))));
      return new JsonObject().put("type", "button").put("body", body)
          .put("action", new JsonObject().put("buttons", buttons));
    }
    JsonArray rows = new JsonArray();
    choices.stream().limit(10).forEach(c -> rows.add(new JsonObject().put("id", c.value())
        .put("title", cut(c.label(), 24))));
    return new JsonObject().put("type", "list").put("body", body).put("action", new JsonObject()
        .put("button", "Choose").put("sections", new JsonArray().add(new JsonObject().put("title", "Options")
            .put("rows", rows))));
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  public String describe() {
    return "whatsapp (GET/POST /whatsapp/webhook)";
  }

  @Override
  public Future<Void> stop() {
    if (healthTimer >= 0) {
      vertx.cancelTimer(healthTimer);
    }
    api.close();
    return Future.succeededFuture();
  }
}
