package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code auth.jwt.public-key}: tokens signed by the holder of the private key, and only those, are callers. */
class JwtVerifierTest {
  private static final String ISSUER = "https://id.example.test/";
  private static final String AUDIENCE = "switchboard-api";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void anEcPublicKeyInPemChecksTokens() throws Exception {
    KeyPair issuerKey = ecKeyPair();
    JwtVerifier verifier = JwtVerifier.start(vertx, new JwtVerifier.Settings(null,
        pem("PUBLIC KEY", issuerKey.getPublic().getEncoded()), ISSUER, AUDIENCE, Duration.ofSeconds(30)));
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "svc-7")
        .put("scp", new io.vertx.core.json.JsonArray().add(Caller.SEND)).put("iat", now).put("exp", now + 60);

    Caller caller = verifier.verify(token(issuerKey, claims)).await();
    assertEquals(new Caller("svc-7", Set.of(Caller.SEND)), caller);

    // 20 s past expiry is within the clock skew; 2 minutes is not
    assertEquals("svc-7", verifier.verify(token(issuerKey, claims.copy().put("exp", now - 20))).await().name());
    assertRefused(verifier, token(issuerKey, claims.copy().put("exp", now - 120)));
    assertRefused(verifier, token(ecKeyPair(), claims));
    assertRefused(verifier, token(issuerKey, claims.copy().put("aud", "elsewhere")));
    assertRefused(verifier, token(issuerKey, claims.copy().put("sub", "x".repeat(65))));
  }

  @Test
  void aKeyThatIsNeitherRsaNorEcIsNamedAsSuch() {
    assertEquals("ES256", JwtVerifier.keyAlgorithm(pem("PUBLIC KEY", ecKeyPairUnchecked().getPublic().getEncoded())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtVerifier.keyAlgorithm(pem("PUBLIC KEY", new byte[] {1, 2, 3})));
    assertTrue(e.getMessage().contains("neither an RSA nor an EC public key"), e.getMessage());
  }

  private void assertRefused(JwtVerifier verifier, String token) {
    ApiError e = assertThrows(ApiError.class, () -> verifier.verify(token).await());
    assertEquals(401, e.status(), e.getMessage());
  }

  private String token(KeyPair key, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", key.getPrivate().getEncoded()))));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
  }

  private static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair ecKeyPairUnchecked() {
    try {
      return ecKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
        + "-----\n";
  }
}
