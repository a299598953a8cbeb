package dev.switchboard.channels;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token checks for an API: with tokens configured, a request must carry one of them; with none, only
 * callers on this machine are let in (a loopback client not relayed by an untrusted proxy: {@link
 * ClientAddresses#isLocal}). Tokens are compared in constant time, on their SHA-256.
 */
public final class RequestAuth {
  private final List<byte[]> tokenDigests;
  private final String realm;
  private final ClientAddresses clients;

  /**
   * @param tokens the accepted tokens, possibly none
   * @param realm what the tokens are for, named in error messages ({@code channels.webhook.tokens})
   * @param clients who counts as a local caller when there are no tokens
   */
  public RequestAuth(List<String> tokens, String realm, ClientAddresses clients) {
    this.tokenDigests = tokens.stream().map(RequestAuth::sha256).toList();
    this.realm = realm;
    this.clients = clients;
  }

  /** Whether requests need a token (else only local callers are served). */
  public boolean needsToken() {
    return !tokenDigests.isEmpty();
  }

  /** Whether the request may go on (as {@link #check}, without the error). */
  public boolean allows(RoutingContext ctx) {
    try {
      check(ctx);
      return true;
    } catch (ApiError refused) {
      return false;
    }
  }

  /** Throws {@link ApiError} (401 or 403) unless the request may go on. */
  public void check(RoutingContext ctx) {
    if (tokenDigests.isEmpty()) {
      if (!clients.isLocal(ctx.request())) {
        throw ApiError.forbidden("only local callers are allowed until " + realm + " is configured");
      }
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiError.unauthenticated("missing bearer token");
    }
    byte[] presented = sha256(header.substring(7).strip());
    boolean match = false;
    for (byte[] digest : tokenDigests) {
      match |= MessageDigest.isEqual(digest, presented);
    }
    if (!match) {
      throw ApiError.unauthenticated("invalid bearer token");
    }
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
