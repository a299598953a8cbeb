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
 */
public record Caller(String name, Set<String> scopes) {
  /** May post messages and read its own. */
  public static final String SEND = "messages:send";
  /** May use the admin API and {@code /metrics}. */
  public static final String ADMIN = "admin";
  /** A request from this machine while an API has no tokens configured. */
  public static final Caller LOCAL = new Caller(null, Set.of(SEND));
  /** Longest caller name (a JWT {@code sub} or a token's name). */
  public static final int MAX_NAME_LENGTH = 64;

  private static final String CONTEXT_KEY = "switchboard.caller";

  public Caller {
    scopes = Set.copyOf(scopes);
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
   * {@code %} and {@code /} of the name percent-encoded so that the first {@code /} always ends the name.
   */
  public String scope(String value) {
    return local() ? value : name.replace("%", "%25").replace("/", "%2F") + "/" + value;
  }

  /** The id as the caller named it: {@link #scope} undone. */
  public String unscope(String scoped) {
    if (local()) {
      return scoped;
    }
    String prefix = scope("");
    return scoped.startsWith(prefix) ? scoped.substring(prefix.length()) : scoped;
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
