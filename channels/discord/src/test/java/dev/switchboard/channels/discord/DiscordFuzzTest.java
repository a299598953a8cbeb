package dev.switchboard.channels.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;

/** Any bytes as a (verified) Discord interaction: a PONG, something to record, or a 400. */
class DiscordFuzzTest {
  private static final DiscordInteractionsHandler HANDLER = new DiscordInteractionsHandler(null, signature());

  private static DiscordSignature signature() {
    try {
      byte[] x509 = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      return new DiscordSignature(java.util.HexFormat.of().formatHex(x509, x509.length - 32, x509.length));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void interaction(byte[] body) {
    try {
      HANDLER.read(null, Buffer.buffer(body));
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
