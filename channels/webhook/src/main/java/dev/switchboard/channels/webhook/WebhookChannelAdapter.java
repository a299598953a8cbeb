package dev.switchboard.channels.webhook;

import dev.switchboard.channels.Caller;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.ClientAddresses;
import dev.switchboard.channels.DeliveryResult;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.channels.JwtVerifier;
import dev.switchboard.channels.Outbound;
import dev.switchboard.channels.RequestAuth;
import dev.switchboard.spi.ChannelId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The plain JSON webhook channel: scripts {@code POST /v1/messages} and read replies from the response,
 * from {@code GET /v1/messages/{id}}, or from signed POSTs to their {@code callback_url}.
 */
public final class WebhookChannelAdapter implements ChannelAdapter {
  private final RequestAuth auth;
  private final String authDescription;
  private final WebhookHandler handler;
  private final WebClient client;
  private final CallbackClient callbacks;

  public WebhookChannelAdapter(Vertx vertx, InboundGateway gateway, WebhookSettings settings,
      ClientAddresses clients, JwtVerifier jwt) {
    this.auth = RequestAuth.forCallers(settings.tokens(), jwt, Caller.SEND, "channels.webhook.tokens or auth.jwt",
        clients);
    this.authDescription = settings.tokens().isEmpty() ? "JWT" : jwt == null ? "bearer token" : "bearer token or JWT";
    CallbackTargets targets = new CallbackTargets(vertx, settings.callbackAllow());
    this.handler = new WebhookHandler(gateway, auth, targets);
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Switchboard-Callback")
        .setFollowRedirects(false)
        .setConnectTimeout(5_000));
    this.callbacks = new CallbackClient(client, settings.callbackSecret(), targets);
  }

  @Override
  public ChannelId id() {
    return ChannelId.WEBHOOK;
  }

  @Override
  public void mount(Router router) {
    handler.mount(router);
  }

  @Override
  public boolean needsDelivery(JsonObject replyAddress) {
    return WebhookAddress.from(replyAddress).callbackUrl() != null;
  }

  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    return callbacks.post(WebhookAddress.from(outbound.replyAddress()).callbackUrl(), outbound);
  }

  @Override
  public String describe() {
    if (auth.needsToken()) {
      return "webhook (POST /v1/messages, " + authDescription + ")";
    }
    return "webhook (POST /v1/messages, callers on this machine only until channels.webhook.tokens is set)";
  }

  @Override
  public Future<Void> stop() {
    client.close();
    return Future.succeededFuture();
  }
}
