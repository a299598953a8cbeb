package dev.switchboard.channels.discord;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * Discord's request signature: Ed25519 over {@code X-Signature-Timestamp} + raw body, checked with the
 * application's public key (the JDK's own EdDSA; no extra library).
 */
final class DiscordSignature {
  /** The DER header of an X.509 Ed25519 public key; the raw 32-byte key follows it. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final PublicKey key;

  /** @param publicKeyHex the application's public key, 64 hex digits */
  DiscordSignature(String publicKeyHex) {
    byte[] raw = HexFormat.of().parseHex(publicKeyHex);
    byte[] encoded = new byte[X509_PREFIX.length + raw.length];
    System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
    try {
      this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /** Whether {@code signatureHex} signs timestamp + body; {@code false} for anything malformed. */
  boolean verify(String signatureHex, String timestamp, byte[] body) {
    if (signatureHex == null || timestamp == null || !signatureHex.matches("[0-9a-fA-F]{128}")
        || timestamp.isEmpty() || timestamp.length() > 20) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
      verifier.update(body);
      return verifier.verify(HexFormat.of().parseHex(signatureHex));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
