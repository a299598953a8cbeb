package dev.switchboard.app;

import dev.switchboard.app.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Values made once and kept in the data directory, so they stay the same across restarts: the key that signs
 * webhook callbacks (unless configured) and this node's id.
 */
final class KeptValues {
  static final String CALLBACK_SECRET_FILE = "webhook-callback-secret";
  static final String NODE_ID_FILE = "node-id";

  /** The values one gateway keeps. */
  record Kept(String callbackSecret, String nodeId) {
    @Override
    public String toString() {
      return "Kept[callbackSecret=****, nodeId=" + nodeId + "]";
    }
  }

  private KeptValues() {}

  /** Reads (or makes) every kept value. Blocking. */
  static Kept load(GatewayConfig config) {
    return new Kept(callbackSecret(config), nodeId(config));
  }

  /**
   * A secret generated once and kept (readable by its owner only), for signing callbacks when
   * {@code channels.webhook.callback-secret} is not set.
   */
  static String callbackSecret(GatewayConfig config) {
    return readOrCreate(config.dataDir().resolve(CALLBACK_SECRET_FILE), () -> {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      return HexFormat.of().formatHex(bytes);
    });
  }

  /** This node's id: the same after a restart, so it can take up its own conversation leases at once. */
  static String nodeId(GatewayConfig config) {
    return readOrCreate(config.dataDir().resolve(NODE_ID_FILE), () -> UUID.randomUUID().toString());
  }

  private static String readOrCreate(Path file, Supplier<String> create) {
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      String value = create.get();
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + file, e);
    }
  }
}
