package dev.switchboard.channels;

import io.vertx.core.json.JsonObject;

/**
 * Why a message went to the skill it went to.
 *
 * @param skill the skill's name
 * @param reason {@code command}, {@code active}, {@code keyword}, {@code semantic} or {@code fallback}
 * @param score the match score for keyword and semantic matches, else {@code null}
 */
public record RouteRecord(String skill, String reason, Double score) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("skill", skill).put("reason", reason);
    if (score != null) {
      json.put("score", score);
    }
    return json;
  }

  /** Reads what {@link #toJson()} wrote; {@code null} for {@code null}. */
  public static RouteRecord fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new RouteRecord(json.getString("skill"), json.getString("reason"), json.getDouble("score"));
  }
}
