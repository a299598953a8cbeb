package dev.switchboard.channels;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Named leases shared by every gateway node, so that one node at a time does a job (polls a bot token, holds a
 * socket). A lease is held for its TTL unless renewed; a node that dies loses its leases when they expire, and
 * takes them up again at once when it comes back (its id is stable). Implemented by the gateway application.
 */
public interface Leases {

  /** Takes the lease when it is free or already this node's; answers whether this node holds it now. */
  Future<Boolean> acquire(String name, Duration ttl);

  /** Extends the lease if this node still holds it; answers {@code false} when it was lost. */
  Future<Boolean> renew(String name, Duration ttl);

  /** Gives the lease back if this node holds it. Best effort. */
  void release(String name);

  /** A lease name for a job tied to a credential (a bot token): {@code kind:} + a hash of it, never the secret. */
  static String nameFor(String kind, String secret) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return kind + ":" + java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every lease is always granted: a single node, or tests. */
  Leases SOLE = new Leases() {
    @Override
    public Future<Boolean> acquire(String name, Duration ttl) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> renew(String name, Duration ttl) {
      return Future.succeededFuture(true);
    }

    @Override
    public void release(String name) {}
  };
}
