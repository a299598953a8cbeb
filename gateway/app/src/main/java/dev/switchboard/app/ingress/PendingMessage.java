package dev.switchboard.app.ingress;

import dev.switchboard.spi.Envelope;
import io.vertx.core.json.JsonObject;

/**
 * A recorded message that has not been handled yet.
 *
 * @param seq its place in the inbound log
 * @param envelope the message
 * @param replyAddress what its channel needs to deliver replies
 */
public record PendingMessage(long seq, Envelope envelope, JsonObject replyAddress) {}
