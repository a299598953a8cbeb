package dev.switchboard.app.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Secrets kept in the data folder: generated once, readable by their owner only from the moment the file is
 * created (never widened afterwards), the same after a restart.
 */
public final class Credentials {
  private Credentials() {}

  /** The secret kept in {@code file}, made (32 random bytes, hex) when there is none. Blocking. */
  public static String keptIn(Path file) {
    return keptIn(file, Credentials::randomHex);
  }

  /** The value kept in {@code file}, made by {@code create} when there is none. Blocking. */
  public static String keptIn(Path file, java.util.function.Supplier<String> create) {
    try {
      if (Files.isRegularFile(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      String value = create.get();
      Files.createDirectories(file.toAbsolutePath().getParent());
      writeOwnerOnly(file, value + "\n");
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + file, e);
    }
  }

  /** Writes {@code content} to {@code file}, readable by its owner only from its creation. Blocking. */
  public static void writeOwnerOnly(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String randomHex() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
