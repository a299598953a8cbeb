package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.session.Session;
import dev.switchboard.spi.Envelope;

/** An owned message with its conversation's session: what moderation, routing and the skill see. */
record LoadedTurn(OwnedMessage owned, Session session) {
  PendingMessage message() {
    return owned.message();
  }

  Envelope envelope() {
    return owned.message().envelope();
  }
}
