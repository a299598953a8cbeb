package dev.switchboard.channels;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call an API: a route handler that finds the request's {@link Caller} (then {@link Caller#of} gives it
 * to the handlers after it) or answers 401/403/503 with a JSON error.
 *
 * <p>A caller presents {@code Authorization: Bearer} with a static token (compared in constant time, on its
 * SHA-256) or, when a {@link JwtVerifier} is given, a JWT; either way it must hold the API's scope. With neither
 * tokens nor JWT configured, only callers on this machine are let in, as {@link Caller#LOCAL} (a loopback client
 * not relayed by an untrusted proxy: {@link ClientAddresses#isLocal}).
 */
public final class RequestAuth implements Handler<RoutingContext> {
  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9._-]{1," + Caller.MAX_NAME_LENGTH + "}):(.+)");

  private final List<StaticToken> tokens;
  private final JwtVerifier jwt;
  private final String scope;
  private final String realm;
  private final ClientAddresses clients;

  private record StaticToken(byte[] digest, Caller caller) {}

  /**
   * An API for callers with static tokens or JWTs, or, with neither configured, for local callers.
   *
   * @param tokens the accepted static tokens, possibly none: {@code name:token}, or a bare token whose caller is
   *     named {@code token-} and the first 8 hex digits of its SHA-256
   * @param jwt checks JWT bearer tokens, or {@code null}
   * @param scope what a caller must hold ({@link Caller#SEND}); static tokens hold it
   * @param realm the setting that configures the tokens, named in error messages ({@code channels.webhook.tokens})
   * @param clients who counts as a local caller when there are no tokens
   */
  public static RequestAuth forCallers(List<String> tokens, JwtVerifier jwt, String scope, String realm,
      ClientAddresses clients) {
    return new RequestAuth(tokens.stream().map(entry -> staticToken(entry, scope)).toList(), jwt, scope, realm,
        clients);
  }

  /**
   * The admin API: the admin token (taken whole, as the caller {@code admin}) or a JWT with the {@link
   * Caller#ADMIN} scope; never a local caller without a token.
   */
  public static RequestAuth forAdmin(String adminToken, JwtVerifier jwt) {
    Caller admin = new Caller("admin", Set.of(Caller.ADMIN), true);
    return new RequestAuth(List.of(new StaticToken(sha256(adminToken), admin)), jwt, Caller.ADMIN, "admin.token", null);
  }

  private RequestAuth(List<StaticToken> tokens, JwtVerifier jwt, String scope, String realm,
      ClientAddresses clients) {
    this.tokens = tokens;
    this.jwt = jwt;
    this.scope = scope;
    this.realm = realm;
    this.clients = clients;
  }

  private static StaticToken staticToken(String entry, String scope) {
    Matcher named = NAMED.matcher(entry);
    if (named.matches()) {
      return new StaticToken(sha256(named.group(2)), new Caller(named.group(1), Set.of(scope), true));
    }
    byte[] digest = sha256(entry);
    return new StaticToken(digest,
        new Caller("token-" + HexFormat.of().formatHex(digest, 0, 4), Set.of(scope), true));
  }

  /** Whether requests need a token (else only local callers are served). */
  public boolean needsToken() {
    return !tokens.isEmpty() || jwt != null;
  }

  /** Authenticates the request and goes on with its caller attached, or fails it with an {@link ApiError}. */
  @Override
  public void handle(RoutingContext ctx) {
    Future<Caller> caller = caller(ctx);
    if (caller.isComplete()) {
      goOn(ctx, caller);
      return;
    }
    // a JWT whose keys are being fetched: hold the body back for a body handler after this one
    ctx.request().pause();
    caller.onComplete(done -> {
      goOn(ctx, caller);
      ctx.request().resume();
    });
  }

  private static void goOn(RoutingContext ctx, Future<Caller> caller) {
    if (caller.succeeded()) {
      caller.result().attachTo(ctx);
      ctx.next();
    } else {
      ctx.fail(caller.cause());
    }
  }

  /** The request's caller, or a failed future with the {@link ApiError} (401, 403 or 503) to answer. */
  public Future<Caller> caller(RoutingContext ctx) {
    if (!needsToken()) {
      if (!clients.isLocal(ctx.request())) {
        return Future.failedFuture(
            ApiError.forbidden("only local callers are allowed until " + realm + " is configured"));
      }
      return Future.succeededFuture(Caller.LOCAL);
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      return Future.failedFuture(ApiError.unauthenticated("missing bearer token"));
    }
    String token = header.substring(7).strip();
    Caller found = staticCaller(token);
    if (found != null) {
      return Future.succeededFuture(found);
    }
    if (jwt == null || token.chars().filter(c -> c == '.').count() != 2) {
      return Future.failedFuture(ApiError.unauthenticated("invalid bearer token"));
    }
    return jwt.verify(token).compose(caller -> caller.may(scope) ? Future.succeededFuture(caller)
        : Future.failedFuture(ApiError.forbidden("the token does not grant the " + scope + " scope")));
  }

  private Caller staticCaller(String token) {
    byte[] presented = sha256(token);
    Caller match = null;
    for (StaticToken candidate : tokens) {
      if (MessageDigest.isEqual(candidate.digest(), presented)) {
        match = candidate.caller();
      }
    }
    return match;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
