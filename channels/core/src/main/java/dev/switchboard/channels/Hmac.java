package dev.switchboard.channels;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one secret, in hex: how Slack, WhatsApp (Meta) and the webhook's callbacks sign a body. Checks
 * compare in constant time, so a forger learns nothing from how long a refusal takes.
 */
public final class Hmac {
  private final SecretKeySpec key;

  public Hmac(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** The lower-case hex HMAC of the parts, one after the other. */
  public String hex(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * Whether {@code presented} is {@code prefix} followed by the hex HMAC of the parts (hex in either case).
   * {@code null} never matches.
   */
  public boolean matches(String presented, String prefix, byte[]... parts) {
    if (presented == null || !presented.startsWith(prefix)) {
      return false;
    }
    byte[] expected = hex(parts).getBytes(StandardCharsets.US_ASCII);
    byte[] given = presented.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT)
        .getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** Bytes of an ASCII header value or separator, to sign beside a body. */
  public static byte[] ascii(String value) {
    return value.getBytes(StandardCharsets.US_ASCII);
  }
}
