package dev.switchboard.app.storage;

/** A server process the gateway runs itself, beside the JVM, and restarts when it dies. */
interface EmbeddedServer extends AutoCloseable {

  /** For logs: {@code PostgreSQL}, {@code Redis}. */
  String name();

  /** Whether its process is still running. */
  boolean alive();

  /** Starts it again on the same data and port, after it died. Blocking. */
  void restart() throws Exception;

  /** Stops it (the gateway's own shutdown). Blocking. */
  @Override
  void close();
}
