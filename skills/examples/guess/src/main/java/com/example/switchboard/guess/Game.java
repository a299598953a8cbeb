package com.example.switchboard.guess;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One game in progress, as kept in the conversation's state: the number to find, the range's top, and the
 * guesses counted so far. Immutable; {@link #saveTo} writes it back.
 *
 * @param secret the number to find, 1 to {@code max}
 * @param max the top of the range the game was started with
 * @param tries guesses made so far (out-of-range guesses do not count)
 */
record Game(int secret, int max, int tries) {
  private static final String SECRET = "secret";
  private static final String MAX = "max";
  private static final String TRIES = "tries";

  Game {
    if (max < 1 || secret < 1 || secret > max || tries < 0) {
      throw new IllegalArgumentException("not a game: secret " + secret + ", max " + max + ", tries " + tries);
    }
  }

  /** The game kept in {@code state}, or empty when there is none (or it cannot be read: then it is forgotten). */
  static Optional<Game> from(JsonObject state) {
    if (!state.containsKey(SECRET)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Game(state.getInteger(SECRET), state.getInteger(MAX), state.getInteger(TRIES)));
    } catch (RuntimeException e) { // missing or mistyped fields, e.g. written by another version
      clear(state);
      return Optional.empty();
    }
  }

  void saveTo(JsonObject state) {
    state.put(SECRET, secret).put(MAX, max).put(TRIES, tries);
  }

  static void clear(JsonObject state) {
    state.remove(SECRET);
    state.remove(MAX);
    state.remove(TRIES);
  }

  /** The same game after one more counted guess. */
  Game guessedOnce() {
    return new Game(secret, max, tries + 1);
  }
}
