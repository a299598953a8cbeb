package dev.switchboard.app;

import dev.switchboard.app.config.GatewayConfig;
import dev.switchboard.app.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Values made once and kept in the data directory, so they stay the same across restarts: the key that signs
 * webhook callbacks (unless configured) and this node's id.
 */
final class KeptValues {
  static final String CALLBACK_SECRET_FILE = "webhook-callback-secret";
  static final String NODE_ID_FILE = "node-id";
  static final String ADMIN_TOKEN_FILE = "admin-token";

  /**
   * The values one gateway keeps.
   *
   * @param adminToken {@code admin.token}, or the one generated at the first start and kept in the data folder
   * @param adminTokenSource where the admin token comes from: {@code configured}, {@code kept} or {@code generated}
   *     (made by this start: the banner shows it once)
   */
  record Kept(String callbackSecret, String nodeId, String adminToken, String adminTokenSource) {
    @Override
    public String toString() {
      return "Kept[callbackSecret=****, nodeId=" + nodeId + ", adminToken=****]";
    }
  }

  private KeptValues() {}

  /** Reads (or makes) every kept value. Blocking. */
  static Kept load(GatewayConfig config) {
    Path adminFile = config.dataDir().resolve(ADMIN_TOKEN_FILE);
    Optional<String> configured = config.admin().token().map(Secret::value);
    String source = configured.isPresent() ? "configured" : Files.isRegularFile(adminFile) ? "kept" : "generated";
    String adminToken = configured.orElseGet(() -> readOrCreate(adminFile, KeptValues::randomHex));
    return new Kept(callbackSecret(config), nodeId(config), adminToken, source);
  }

  private static String randomHex() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * A secret generated once and kept (readable by its owner only), for signing callbacks when
   * {@code channels.webhook.callback-secret} is not set.
   */
  static String callbackSecret(GatewayConfig config) {
    return readOrCreate(config.dataDir().resolve(CALLBACK_SECRET_FILE), KeptValues::randomHex);
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
      Files.deleteIfExists(tmp);
      try { // owner-only from its creation: the secret is never readable by others, not even for a moment
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + file, e);
    }
  }
}
