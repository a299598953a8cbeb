package dev.switchboard.channels.discord;

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
import java.time.Duration;
import java.time.Instant;

/**
 * Discord over its HTTP interactions endpoint: slash commands and buttons in, replies out through the
 * interaction's own token (the deferred response edited, then follow-ups), or as the bot in the channel once that
 * token has expired.
 */
public final class DiscordChannelAdapter implements ChannelAdapter {
  /** Replies wait this long for the interaction's answer to carry them (Discord's 3 s) before the outbox sends. */
  static final Duration ANSWER_HOLD = Duration.ofSeconds(3);
  /** An interaction token this close to expiry is not used: the call could land after it. */
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(30);

  private final DiscordApiClient api;
  private final DiscordInteractionsHandler interactions;

  public DiscordChannelAdapter(Vertx vertx, InboundGateway gateway, DiscordSettings settings) {
    this.api = new DiscordApiClient(vertx, settings);
    this.interactions = new DiscordInteractionsHandler(gateway, new DiscordSignature(settings.publicKey()));
  }

  @Override
  public ChannelId id() {
    return DiscordMapper.CHANNEL;
  }

  @Override
  public void mount(Router router) {
    interactions.mount(router);
  }

  @Override
  public Duration deliveryHold(JsonObject replyAddress) {
    return ANSWER_HOLD;
  }

  /** The first part of the first reply replaces "thinking…"; every other part is a follow-up. */
  @Override
  public Future<DeliveryResult> deliver(Outbound outbound) {
    DiscordAddress address = DiscordAddress.from(outbound.replyAddress());
    boolean tokenValid = Instant.now().isBefore(address.expiresAt().minus(TOKEN_MARGIN));
    if (!tokenValid && !api.hasBotToken()) {
      return Future.succeededFuture(new DeliveryResult.Failed(
          "the interaction expired (15 minutes) and no channels.discord.bot-token is set to post in the channel"));
    }
    return ChunkedSender.send(outbound.reply().text(), DiscordApiClient.MAX_TEXT, (text, first, last) -> {
      JsonObject message = message(outbound.reply(), text, last, outbound.visibleToAll());
      if (!tokenValid) {
        return api.postInChannel(address.channelId(), message.put("flags", 0));
      }
      return first && outbound.position() == 0 ? api.editOriginal(address.token(), message)
          : api.followUp(address.token(), message);
    });
  }

  /**
   * One message: the text, with no mentions resolved (user text must not ping anyone), choices as buttons on the
   * last part (up to 5 rows of 5), and seen by the invoking user only unless the skill asked for everyone.
   */
  static JsonObject message(Reply reply, String text, boolean last, boolean visibleToAll) {
    JsonObject message = new JsonObject().put("content", text)
        .put("allowed_mentions", new JsonObject().put("parse", new JsonArray()))
        .put("flags", visibleToAll ? 0 : DiscordInteractionsHandler.EPHEMERAL);
    if (last && reply instanceof Reply.Choices choices) {
      JsonArray rows = new JsonArray();
      JsonArray row = new JsonArray();
      for (Choice choice : choices.choices()) {
        if (choice.value().length() > 100 || rows.size() == 5) {
          continue; // custom_id holds at most 100 characters; a message at most 5 rows
        }
        row.add(new JsonObject().put("type", 2).put("style", 1).put("custom_id", choice.value())
            .put("label", choice.label().length() > 80 ? choice.label().substring(0, 79) + "…" : choice.label()));
        if (row.size() == 5) {
          rows.add(new JsonObject().put("type", 1).put("components", row));
          row = new JsonArray();
        }
      }
      if (!row.isEmpty() && rows.size() < 5) {
        rows.add(new JsonObject().put("type", 1).put("components", row));
      }
      message.put("components", rows);
    }
    return message;
  }

  @Override
  public String describe() {
    return "discord (POST /discord/interactions)";
  }

  @Override
  public Future<Void> stop() {
    api.close();
    return Future.succeededFuture();
  }
}
