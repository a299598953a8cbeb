package dev.switchboard.channels;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Who sent an API request: a static token's name or a JWT's {@code sub}, with what it may do. Callers are kept
 * apart by {@link #scope}: the ids and conversations one caller names live in its own namespace, so the same
 * message id from two callers is two messages and no caller reaches another's conversation. The {@link #LOCAL}
 * caller (a request from this machine while no tokens are configured) is the machine's owner and names ids as
 * they are.
 *
 * @param name the caller's name, {@code null} for {@link #LOCAL}
 * @param scopes what it may do ({@link #SEND}, {@link #ADMIN})
 * @param staticToken named by a static token rather than by a JWT: its namespace is apart from any {@code sub}'s
 */
public record Caller(String name, Set<String> scopes, boolean staticToken) {
  /** May post messages and read its own. */
  public static final String SEND = "messages:send";
  /** May use the admin API and {@code /metrics}. */
  public static final String ADMIN = "admin";
  /** A request from this machine while an API has no tokens configured. */
  public static final Caller LOCAL = new Caller(null, Set.of(SEND), false);
  /** Longest caller name (a JWT {@code sub} or a token's name). */
  public static final int MAX_NAME_LENGTH = 64;

  private static final String CONTEXT_KEY = "switchboard.caller";

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** A caller named by a JWT's {@code sub}. */
  public Caller(String name, Set<String> scopes) {
    this(name, scopes, false);
  }

  /** Whether this is the machine's owner rather than a named caller. */
  public boolean local() {
    return name == null;
  }

  /** Whether the caller holds {@code scope}. */
  public boolean may(String scope) {
    return scopes.contains(scope);
  }

  /**
   * An id the caller named (a message id, a conversation), in the caller's namespace: {@code name/value}, with
   * {@code % / ~} of the name percent-encoded so that the first {@code /} always ends the name, and {@code ~}
   * before the name of a static token's caller, so that no JWT {@code sub} can reach its namespace.
   */
  public String scope(String value) {
    if (local()) {
      return value;
    }
    String encoded = name.replace("%", "%25").replace("/", "%2F").replace("~", "%7E");
    return (staticToken ? "~" : "") + encoded + "/" + value;
  }

  /** The id as the caller named it: {@link #scope} undone (the first {@code /} ends the namespace). */
  public String unscope(String scoped) {
    return local() ? scoped : scoped.substring(scoped.indexOf('/') + 1);
  }

  /** The caller a {@link RequestAuth} handler found for this request. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(CONTEXT_KEY);
    if (caller == null) {
      throw new IllegalStateException("the request was not authenticated");
    }
    return caller;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(CONTEXT_KEY, this);
  }
}
