package dev.switchboard.app.pipeline;

import dev.switchboard.spi.Envelope;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one message carry its id and conversation as key-value pairs: fields of their own in JSON
 * logs ({@code kvpList}), {@code message_id="…" conversation="…"} after the text otherwise. A turn hops between
 * threads, so a thread-bound MDC could not carry them.
 */
final class TurnLog {
  private TurnLog() {}

  static LoggingEventBuilder about(LoggingEventBuilder line, Envelope envelope) {
    return line.addKeyValue("message_id", envelope.id().value())
        .addKeyValue("conversation", envelope.conversation().asString());
  }
}
