package dev.switchboard.app.pipeline;

import dev.switchboard.app.session.Session;
import io.vertx.core.Future;
import java.util.function.Function;

/** Load session: the conversation's state, from memory, Redis or PostgreSQL. */
final class SessionStage {
  private final Function<String, Future<Session>> load;

  SessionStage(Function<String, Future<Session>> load) {
    this.load = load;
  }

  Future<LoadedTurn> apply(OwnedMessage owned) {
    return load.apply(owned.message().conversation()).map(session -> new LoadedTurn(owned, session));
  }
}
