package dev.switchboard.app;

import dev.switchboard.app.config.GatewayConfig;
import dev.switchboard.app.config.Secret;
import dev.switchboard.app.storage.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

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
    String adminToken = configured.orElseGet(() -> Credentials.keptIn(adminFile));
    return new Kept(callbackSecret(config), nodeId(config), adminToken, source);
  }

  /**
   * A secret generated once and kept (readable by its owner only), for signing callbacks when
   * {@code channels.webhook.callback-secret} is not set.
   */
  static String callbackSecret(GatewayConfig config) {
    return Credentials.keptIn(config.dataDir().resolve(CALLBACK_SECRET_FILE));
  }

  /** This node's id: the same after a restart, so it can take up its own conversation leases at once. */
  static String nodeId(GatewayConfig config) {
    return Credentials.keptIn(config.dataDir().resolve(NODE_ID_FILE), () -> UUID.randomUUID().toString());
  }
}
