package dev.switchboard.app.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A free TCP port on loopback, for an embedded server. */
final class FreePort {
  private FreePort() {}

  static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  /**
   * Fails when {@code port} is taken on loopback (by something else, since the server that had it died): a server
   * started on it would fail only after its whole start-up wait.
   */
  static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as the servers bind: a closed connection's TIME_WAIT does not count
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    } catch (IOException e) {
      throw new IOException("port " + port + " on loopback is taken by another process");
    }
  }
}
