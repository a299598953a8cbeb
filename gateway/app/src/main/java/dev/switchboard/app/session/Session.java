package dev.switchboard.app.session;

import dev.switchboard.spi.ChatMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation's state between messages.
 *
 * @param conversation the conversation key ({@code channel:id})
 * @param version 0 for a session never saved; each save adds one (optimistic concurrency across nodes)
 * @param activeSkill the skill waiting for an answer, or {@code null}
 * @param skillStates each skill's own state, by skill name
 */
public record Session(String conversation, long version, String activeSkill, JsonObject skillStates) {

  /** Largest session accepted, as JSON bytes; a skill that grows it beyond fails its message. */
  public static final int MAX_BYTES = 64 * 1024;

  public static Session fresh(String conversation) {
    return new Session(conversation, 0, null, new JsonObject());
  }

  /** Where the recent exchanges are kept among the states: not a valid skill name, so no skill can clash. */
  static final String HISTORY_KEY = "~history";

  /** The conversation's recent messages, oldest first (kept only while a language model is configured). */
  public List<ChatMessage> history() {
    JsonArray kept = skillStates.getJsonArray(HISTORY_KEY);
    if (kept == null) {
      return List.of();
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i + 1 < kept.size(); i += 2) {
      messages.add(new ChatMessage(kept.getString(i), kept.getString(i + 1)));
    }
    return messages;
  }

  /**
   * The session with one more exchange remembered: the person's message and the bot's answer, keeping at most
   * {@code maxTurns} exchanges and {@code maxChars} characters (the oldest go first).
   */
  public Session withExchange(String said, String answered, int maxTurns, int maxChars) {
    List<ChatMessage> messages = new ArrayList<>(history());
    messages.add(ChatMessage.user(clip(said, maxChars / 2)));
    messages.add(ChatMessage.assistant(clip(answered, maxChars / 2)));
    while (messages.size() > 2 * maxTurns || chars(messages) > maxChars) {
      messages.subList(0, 2).clear();
    }
    JsonArray kept = new JsonArray();
    messages.forEach(m -> kept.add(m.role()).add(m.text()));
    JsonObject states = skillStates.copy().put(HISTORY_KEY, kept);
    return new Session(conversation, version, activeSkill, states);
  }

  private static int chars(List<ChatMessage> messages) {
    return messages.stream().mapToInt(m -> m.text().length()).sum();
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /** A copy of one skill's state, for it to change. */
  public JsonObject stateOf(String skill) {
    JsonObject state = skillStates.getJsonObject(skill);
    return state == null ? new JsonObject() : state.copy();
  }

  /** The session after a skill handled a message. */
  public Session next(String skill, JsonObject newState, String newActiveSkill) {
    JsonObject states = skillStates.copy();
    if (newState.isEmpty()) {
      states.remove(skill);
    } else {
      states.put(skill, newState);
    }
    return new Session(conversation, version + 1, newActiveSkill, states);
  }

  /** The session after a message that changed no skill state. */
  public Session withActiveSkill(String newActiveSkill) {
    return new Session(conversation, version + 1, newActiveSkill, skillStates);
  }

  JsonObject toJson() {
    return new JsonObject().put("v", version).put("active", activeSkill).put("states", skillStates);
  }

  static Session fromJson(String conversation, JsonObject json) {
    return new Session(conversation, json.getLong("v"), json.getString("active"), json.getJsonObject("states"));
  }
}
