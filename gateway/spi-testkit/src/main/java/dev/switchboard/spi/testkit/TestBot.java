package dev.switchboard.spi.testkit;

import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat-free test bot for one skill: push a message as a user would type it, read the replies and the state the
 * gateway would keep. It keeps the gateway's rules: each sender has a conversation of their own, the skill
 * gets a copy of the conversation's state that is kept only when the turn succeeds, and the conversation's
 * history (what the user said and what the bot answered) is handed to the next turn.
 *
 * <pre>{@code
 * TestBot bot = TestBot.of(new TodoSkill());
 * assertEquals(List.of("Added \"milk\". You have 1 item."), bot.say("/todo add milk"));
 * assertEquals(1, bot.state().getJsonArray("items").size());
 * }</pre>
 */
public final class TestBot {
  private final Skill skill;
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private JsonObject config = new JsonObject();
  private InferenceClient inference = InferenceClient.NONE;
  private List<SkillDescriptor> catalog;
  private ChannelId channel = ChannelId.WEBHOOK;
  private String sender = "alice";

  /** What the gateway keeps of one conversation. */
  private static final class Conversation {
    JsonObject state = new JsonObject();
    final List<ChatMessage> history = new ArrayList<>();
  }

  private TestBot(Skill skill) {
    this.skill = skill;
    this.catalog = List.of(skill.descriptor());
  }

  /** A bot running {@code skill} alone, on the webhook channel, with {@code alice} talking. */
  public static TestBot of(Skill skill) {
    return new TestBot(skill);
  }

  /** The skill's settings, as {@code skills.config.<name>} would give them. */
  public TestBot config(JsonObject config) {
    this.config = config.copy();
    return this;
  }

  /** What the skill reaches models through ({@link FakeInference}, or a client of your own). */
  public TestBot inference(InferenceClient inference) {
    this.inference = inference;
    return this;
  }

  /** The skills the bot says it has (for a help skill); by default only this one. */
  public TestBot catalog(List<SkillDescriptor> catalog) {
    this.catalog = List.copyOf(catalog);
    return this;
  }

  /** The channel messages come from. */
  public TestBot channel(ChannelId channel) {
    this.channel = channel;
    return this;
  }

  /** Who talks from now on; every sender has a conversation of their own. */
  public TestBot as(String senderId) {
    this.sender = senderId;
    return this;
  }

  /** Sends text as typed: a leading {@code /word} is a command, anything else text. */
  public SkillResponse send(String text) {
    Content.Command command = Content.Command.parse(text);
    return handle(command != null ? command : new Content.Text(text));
  }

  /** The texts of the replies to {@code text}. */
  public List<String> say(String text) {
    return send(text).replies().stream().map(Reply::text).toList();
  }

  /** Presses a button the skill offered ({@code value} is the choice's value). */
  public SkillResponse press(String value, String label) {
    return handle(new Content.Callback(value, label));
  }

  /** Sends any content. A skill that throws fails the turn: the state is left as it was, and the error is thrown. */
  public SkillResponse handle(Content content) {
    Envelope envelope = envelope(content);
    Conversation conversation = conversations.computeIfAbsent(sender, s -> new Conversation());
    Context context = new Context(envelope, conversation.state.copy(), List.copyOf(conversation.history));
    SkillResponse response;
    try {
      response = skill.handle(envelope, context);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the skill failed: " + e, e);
    }
    conversation.state = context.state;
    conversation.history.add(ChatMessage.user(envelope.text()));
    response.replies().forEach(r -> conversation.history.add(ChatMessage.assistant(r.text())));
    return response;
  }

  /** How well the skill says {@code text} matches it (its keywords and patterns): 0 to 1. */
  public double match(String text) {
    return skill.match(envelope(new Content.Text(text)));
  }

  /** The current sender's conversation state, as kept after the last successful turn (a live view). */
  public JsonObject state() {
    return conversations.computeIfAbsent(sender, s -> new Conversation()).state;
  }

  /** The current sender's conversation so far. */
  public List<ChatMessage> history() {
    return List.copyOf(conversations.computeIfAbsent(sender, s -> new Conversation()).history);
  }

  /** The envelope the gateway would build for {@code content} from the current sender. */
  public Envelope envelope(Content content) {
    return new Envelope(new MessageId("test-" + ids.incrementAndGet()), channel,
        new ConversationKey(channel, sender), Sender.of(sender), content, null, null, Instant.now(),
        content.text().length());
  }

  /** The context of one turn. */
  private final class Context implements SkillContext {
    private final Envelope envelope;
    private final JsonObject state;
    private final List<ChatMessage> history;

    Context(Envelope envelope, JsonObject state, List<ChatMessage> history) {
      this.envelope = envelope;
      this.state = state;
      this.history = history;
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
      return System.getLogger("skill." + skill.descriptor().name());
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
}
