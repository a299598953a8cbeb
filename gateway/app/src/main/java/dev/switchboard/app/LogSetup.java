package dev.switchboard.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies {@code logging.level} and {@code logging.format} to the running log setup (the file {@code logback.xml}
 * gives the defaults), and routes {@code java.util.logging} into it; {@code System.Logger} reaches it through
 * SLF4J's platform-logging provider. Skills log through the same setup whichever of these they use.
 */
final class LogSetup {
  private LogSetup() {}

  /**
   * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}: the gateway's own
   *     loggers and the skills' (libraries stay at their quieter defaults)
   * @param json one JSON object per line (logback's JSON encoder) instead of text
   */
  static void apply(String level, boolean json) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    // java.util.logging learns logback's levels, so that disabled JUL calls cost nothing
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    context.addListener(propagator);
    propagator.start();

    Level chosen = Level.toLevel(level, Level.INFO);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(chosen);
    context.getLogger("dev.switchboard").setLevel(chosen);
    if (json) {
      ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      if (root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> console) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithKVPList(true);
        // the message as people read it, not its pattern and arguments apart
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        console.stop();
        console.setEncoder((Encoder<ILoggingEvent>) encoder);
        console.start();
      }
    }
  }
}
