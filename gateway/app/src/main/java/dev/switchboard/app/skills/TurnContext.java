package dev.switchboard.app.skills;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The {@link SkillContext} of one skill call: a private copy of the skill's state, read back after the call. */
public final class TurnContext implements SkillContext {
  private final Envelope envelope;
  private final JsonObject state;
  private final JsonObject config;
  private final List<SkillDescriptor> catalog;
  private final System.Logger logger;
  private final InferenceClient inference;
  private final List<ChatMessage> history;

  public TurnContext(Envelope envelope, String skill, JsonObject state, JsonObject config,
      List<SkillDescriptor> catalog) {
    this(envelope, skill, state, config, catalog, InferenceClient.NONE, List.of());
  }

  public TurnContext(Envelope envelope, String skill, JsonObject state, JsonObject config,
      List<SkillDescriptor> catalog, InferenceClient inference, List<ChatMessage> history) {
    this.inference = inference;
    this.history = List.copyOf(history);
    this.envelope = envelope;
    this.state = state;
    this.config = config == null ? new JsonObject() : config.copy();
    this.catalog = catalog;
    this.logger = System.getLogger("skill." + skill);
  }

  @Override
  public ConversationKey conversation() {
    return envelope.conversation();
  }

  @Override
  public Sender sender() {
    return envelope.sender();
  }

  @Override
  public ChannelId channel() {
    return envelope.channel();
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
    return catalog;
  }

  @Override
  public System.Logger logger() {
    return logger;
  }

  @Override
  public InferenceClient inference() {
    return inference;
  }

  @Override
  public List<ChatMessage> history() {
    return history;
  }
}
