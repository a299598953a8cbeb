package dev.switchboard.app.session;

import io.vertx.core.json.JsonObject;

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
