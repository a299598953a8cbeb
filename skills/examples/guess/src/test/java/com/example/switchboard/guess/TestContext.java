package com.example.switchboard.guess;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A conversation's context as the gateway would give it: one state object kept between messages. */
final class TestContext implements SkillContext {
  static final ConversationKey CONVERSATION = new ConversationKey(ChannelId.WEBHOOK, "alice");

  private final JsonObject state = new JsonObject();
  private final JsonObject config;

  TestContext(JsonObject config) {
    this.config = config;
  }

  TestContext() {
    this(new JsonObject());
  }

  @Override
  public ConversationKey conversation() {
    return CONVERSATION;
  }

  @Override
  public Sender sender() {
    return Sender.of("alice");
  }

  @Override
  public ChannelId channel() {
    return ChannelId.WEBHOOK;
  }

  @Override
  public JsonObject state() {
    return state;
  }

  @Override
  public JsonObject config() {
    return config;
  }

  @Override
  public List<SkillDescriptor> catalog() {
    return List.of();
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("skill.guess");
  }
}
