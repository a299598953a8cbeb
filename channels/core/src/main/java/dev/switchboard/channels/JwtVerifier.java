package dev.switchboard.channels;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks JWT bearer tokens (RS256 or ES256) with Vert.x's JWT auth: signature against the configured public key
 * or the keys at a JWKS URL, issuer, audience, expiry (required) with a small clock skew. A valid token is a
 * {@link Caller} named by its {@code sub}, with the scopes of its {@code scope} (or {@code scp}) claim.
 *
 * <p>JWKS keys are fetched at start, every 10 minutes, and when a token names a key id not seen yet (at most
 * once per 10 s, so forged key ids cannot make the gateway hammer the key server). Until keys are loaded, tokens
 * are answered 503: a JWT auth with no keys would accept unsigned tokens.
 */
public final class JwtVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
  private static final Duration REFRESH = Duration.ofMinutes(10);
  private static final Duration UNKNOWN_KEY_REFRESH = Duration.ofSeconds(10);

  /**
   * {@code auth.jwt.*}.
   *
   * @param jwksUrl where the signing keys are published, or {@code null} when {@code publicKeyPem} is given
   * @param publicKeyPem one RSA or EC public key in PEM, or {@code null}
   * @param issuer the {@code iss} every token must carry
   * @param audience an {@code aud} every token must carry
   * @param clockSkew how far {@code exp}, {@code nbf} and {@code iat} may be off
   */
  public record Settings(String jwksUrl, String publicKeyPem, String issuer, String audience, Duration clockSkew) {}

  private final Vertx vertx;
  private final Settings settings;
  private final WebClient client;
  private volatile Keys keys;
  private long lastFetch = Long.MIN_VALUE / 2;
  private Future<Void> fetching;

  private record Keys(JWTAuth auth, Set<String> ids) {}

  private JwtVerifier(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.client = settings.jwksUrl() == null ? null : WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Switchboard-JWKS").setConnectTimeout(5_000).setFollowRedirects(false));
  }

  /**
   * A verifier; with a JWKS URL its keys are fetched now (a failure is logged and retried: tokens get 503
   * meanwhile), with a PEM key it is ready at once.
   *
   * @throws IllegalArgumentException when the PEM key is neither an RSA nor an EC public key
   */
  public static JwtVerifier start(Vertx vertx, Settings settings) {
    JwtVerifier verifier = new JwtVerifier(vertx, settings);
    if (settings.publicKeyPem() != null) {
      String algorithm = keyAlgorithm(settings.publicKeyPem());
      verifier.keys = new Keys(JWTAuth.create(vertx, verifier.options()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(settings.publicKeyPem()))), Set.of());
    } else {
      verifier.refresh();
      vertx.setPeriodic(REFRESH.toMillis(), id -> verifier.refresh());
    }
    return verifier;
  }

  /** The caller the token stands for; fails with {@link ApiError} 401 (or 503 while no keys are loaded). */
  public Future<Caller> verify(String token) {
    String keyId = keyId(token);
    Keys current = keys;
    if (client != null && (current == null || (keyId != null && !current.ids().contains(keyId)))) {
      return refreshSoon().transform(done -> check(token));
    }
    return check(token);
  }

  private Future<Caller> check(String token) {
    Keys current = keys;
    if (current == null) {
      return Future.failedFuture(ApiError.unavailable("the token signing keys are not loaded yet", 30));
    }
    return current.auth().authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(ApiError.unauthenticated("invalid bearer token: " + e.getMessage())))
        .compose(user -> caller(user.attributes().getJsonObject("accessToken", new JsonObject())));
  }

  private static Future<Caller> caller(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      return Future.failedFuture(ApiError.unauthenticated("invalid bearer token: it has no expiry (exp)"));
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String name) || name.isBlank() || name.length() > Caller.MAX_NAME_LENGTH
        || name.chars().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c))) {
      return Future.failedFuture(ApiError.unauthenticated(
          "invalid bearer token: sub must be 1-" + Caller.MAX_NAME_LENGTH + " characters"));
    }
    return Future.succeededFuture(new Caller(name, scopes(claims)));
  }

  /** OAuth 2 scopes: {@code scope} as a space-separated string, or {@code scp} as a list or string. */
  private static Set<String> scopes(JsonObject claims) {
    Set<String> scopes = new HashSet<>();
    for (String claim : List.of("scope", "scp")) {
      Object value = claims.getValue(claim);
      if (value instanceof String text) {
        scopes.addAll(List.of(text.strip().split("\\s+")));
      } else if (value instanceof JsonArray list) {
        list.forEach(item -> scopes.add(String.valueOf(item)));
      }
    }
    return scopes;
  }

  private JWTAuthOptions options() {
    JWTOptions jwt = new JWTOptions()
        .setIssuer(settings.issuer())
        .setAudience(List.of(settings.audience()))
        .setLeeway((int) settings.clockSkew().toSeconds());
    return new JWTAuthOptions().setJWTOptions(jwt);
  }

  /** Fetches the keys again unless that was done less than 10 s ago; completes when the fetch in hand is done. */
  private synchronized Future<Void> refreshSoon() {
    if (fetching != null) {
      return fetching;
    }
    if (System.nanoTime() - lastFetch < UNKNOWN_KEY_REFRESH.toNanos()) {
      return Future.succeededFuture();
    }
    return refresh();
  }

  private synchronized Future<Void> refresh() {
    if (fetching != null) {
      return fetching;
    }
    lastFetch = System.nanoTime();
    fetching = client.getAbs(settings.jwksUrl()).timeout(5_000).send()
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("the JWKS URL answered " + response.statusCode());
          }
          return Future.succeededFuture(loadKeys(response.bodyAsJsonObject()));
        })
        .onFailure(e -> LOG.warn("auth.jwt.jwks-url: could not load the signing keys ({}); tried again later",
            e.getMessage()))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())
        .onComplete(done -> {
          synchronized (this) {
            fetching = null;
          }
        });
    return fetching;
  }

  private Void loadKeys(JsonObject jwks) {
    JWTAuthOptions options = options();
    Set<String> ids = new HashSet<>();
    JsonArray list = jwks == null ? null : jwks.getJsonArray("keys");
    if (list != null) {
      for (Object item : list) {
        if (item instanceof JsonObject jwk && !"enc".equals(jwk.getString("use"))) {
          JsonObject key = jwk.copy();
          if (key.getString("alg") == null) {
            key.put("alg", "EC".equals(key.getString("kty")) ? "ES256" : "RS256");
          }
          if (ALGORITHMS.contains(key.getString("alg"))) {
            options.addJwk(key);
            if (key.getString("kid") != null) {
              ids.add(key.getString("kid"));
            }
          }
        }
      }
    }
    if (options.getJwks() == null || options.getJwks().isEmpty()) {
      throw new IllegalStateException("the JWKS holds no RS256 or ES256 signing key");
    }
    keys = new Keys(JWTAuth.create(vertx, options), ids);
    return null;
  }

  /** The {@code kid} of the token's header, or {@code null} when it has none or cannot be read. */
  private static String keyId(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot > 4096) {
      return null;
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? kid : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The algorithm of a PEM public key: RS256 for an RSA key, ES256 for an EC one.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static String keyAlgorithm(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PEM public key");
    }
    for (String[] kind : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(kind[0]).generatePublic(new X509EncodedKeySpec(der));
        return kind[1];
      } catch (Exception notThisKind) {
        // try the next kind
      }
    }
    throw new IllegalArgumentException("neither an RSA nor an EC public key");
  }
}
