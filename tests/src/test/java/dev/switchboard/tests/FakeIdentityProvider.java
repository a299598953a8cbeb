package dev.switchboard.tests;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2 identity provider on loopback as far as a resource server sees one: a JWKS endpoint publishing its
 * current signing keys, and the tokens it would issue (RS256 and ES256, signed with the JDK).
 */
final class FakeIdentityProvider implements AutoCloseable {
  static final String ISSUER = "https://id.example.test/";
  static final String AUDIENCE = "switchboard-api";

  /** A signing key with its id and JWS algorithm. */
  record Key(String id, String algorithm, KeyPair pair) {}

  private final HttpServer server;
  private final List<Key> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();

  FakeIdentityProvider() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/jwks.json", exchange -> {
      fetches.incrementAndGet();
      JsonArray keys = new JsonArray();
      published.forEach(key -> keys.add(jwk(key)));
      FakeHttp.respond(exchange, 200, new JsonObject().put("keys", keys));
    });
    server.start();
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
  }

  int fetches() {
    return fetches.get();
  }

  static Key rsaKey(String id) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return new Key(id, "RS256", generator.generateKeyPair());
  }

  static Key ecKey(String id) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return new Key(id, "ES256", generator.generateKeyPair());
  }

  void publish(Key key) {
    published.add(key);
  }

  /** Claims as this provider issues them: its issuer, the gateway's audience, valid for 5 minutes. */
  static JsonObject claims(String subject, String scope) {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", subject)
        .put("iat", now).put("exp", now + 300);
    return scope == null ? claims : claims.put("scope", scope);
  }

  /** A compact JWS of {@code claims} signed with {@code key}. */
  static String sign(Key key, JsonObject claims) throws Exception {
    JsonObject header = new JsonObject().put("alg", key.algorithm()).put("typ", "JWT").put("kid", key.id());
    String input = base64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + base64(claims.encode().getBytes(StandardCharsets.UTF_8));
    return input + "." + base64(signature(key.algorithm(), key.pair().getPrivate(), input));
  }

  /** A token with {@code alg: none} and no signature, as an attacker would try. */
  static String unsigned(JsonObject claims) {
    return base64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + base64(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private static byte[] signature(String algorithm, PrivateKey key, String input) throws Exception {
    // JWS wants ES256 signatures as the raw r || s pair, which is what the P1363 format gives
    Signature signer = Signature.getInstance(algorithm.equals("RS256") ? "SHA256withRSA"
        : "SHA256withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return signer.sign();
  }

  private static JsonObject jwk(Key key) {
    JsonObject jwk = new JsonObject().put("kid", key.id()).put("alg", key.algorithm()).put("use", "sig");
    if (key.pair().getPublic() instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", base64(unsigned(rsa.getModulus())))
          .put("e", base64(unsigned(rsa.getPublicExponent())));
    }
    ECPublicKey ec = (ECPublicKey) key.pair().getPublic();
    return jwk.put("kty", "EC").put("crv", "P-256")
        .put("x", base64(fixed(ec.getW().getAffineX(), 32))).put("y", base64(fixed(ec.getW().getAffineY(), 32)));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] fixed(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
    return out;
  }

  static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The headers of a request bearing {@code token}. */
  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
