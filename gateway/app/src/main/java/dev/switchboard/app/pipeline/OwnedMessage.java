package dev.switchboard.app.pipeline;

import dev.switchboard.app.ingress.PendingMessage;

/**
 * A message this node may work: its shard is held, with {@code fence} as the token its commit will carry.
 */
record OwnedMessage(PendingMessage message, int shard, long fence) {}
