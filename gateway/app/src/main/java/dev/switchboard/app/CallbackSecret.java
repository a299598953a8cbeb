package dev.switchboard.app;

import dev.switchboard.app.config.GatewayConfig;
import dev.switchboard.app.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key that signs webhook callbacks: {@code channels.webhook.callback-secret} when set, else one generated
 * once and kept in {@code <data-dir>/webhook-callback-secret} (readable by its owner only), so signatures stay
 * verifiable across restarts.
 */
final class CallbackSecret {
  static final String FILE = "webhook-callback-secret";

  private CallbackSecret() {}

  static String resolve(GatewayConfig config) {
    return config.channels().webhook().callbackSecret().map(Secret::value)
        .orElseGet(() -> generatedOnce(config.dataDir().resolve(FILE)));
  }

  private static String generatedOnce(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = HexFormat.of().formatHex(bytes);
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the webhook callback secret in " + file, e);
    }
  }
}
