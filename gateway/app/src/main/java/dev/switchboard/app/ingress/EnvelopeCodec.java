package dev.switchboard.app.ingress;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Envelopes as JSON, for the inbound log. */
public final class EnvelopeCodec {
  private EnvelopeCodec() {}

  public static JsonObject encode(Envelope e) {
    JsonObject sender = new JsonObject().put("id", e.sender().id());
    if (e.sender().name() != null) {
      sender.put("name", e.sender().name());
    }
    return new JsonObject()
        .put("id", e.id().value())
        .put("channel", e.channel().value())
        .put("conversation", e.conversation().id())
        .put("sender", sender)
        .put("content", encode(e.content()))
        .put("reply_to", e.replyTo())
        .put("thread", e.thread())
        .put("received_at", e.receivedAt().toString())
        .put("raw_size", e.rawSize());
  }

  private static JsonObject encode(Content content) {
    JsonObject json = new JsonObject().put("text", content.text());
    if (content instanceof Content.Text) {
      json.put("type", "text");
    } else if (content instanceof Content.Command c) {
      json.put("type", "command").put("name", c.name()).put("args", new JsonArray(c.args()))
          .put("arg_text", c.argText());
    } else if (content instanceof Content.Media m) {
      json.put("type", "media").put("kind", m.kind()).put("ref", m.ref()).put("caption", m.caption());
    } else if (content instanceof Content.Callback cb) {
      json.put("type", "callback").put("data", cb.data()).put("label", cb.label());
    }
    return json;
  }

  public static Envelope decode(JsonObject json) {
    ChannelId channel = new ChannelId(json.getString("channel"));
    JsonObject sender = json.getJsonObject("sender");
    return new Envelope(
        new MessageId(json.getString("id")),
        channel,
        new ConversationKey(channel, json.getString("conversation")),
        new Sender(sender.getString("id"), sender.getString("name")),
        decodeContent(json.getJsonObject("content")),
        json.getString("reply_to"),
        json.getString("thread"),
        Instant.parse(json.getString("received_at")),
        json.getInteger("raw_size", 0));
  }

  private static Content decodeContent(JsonObject json) {
    return switch (json.getString("type")) {
      case "command" -> new Content.Command(json.getString("name"),
          json.getJsonArray("args").stream().map(String.class::cast).toList(), json.getString("arg_text"));
      case "media" -> new Content.Media(json.getString("kind"), json.getString("ref"), json.getString("caption"));
      case "callback" -> new Content.Callback(json.getString("data"), json.getString("label"));
      default -> new Content.Text(json.getString("text"));
    };
  }
}
