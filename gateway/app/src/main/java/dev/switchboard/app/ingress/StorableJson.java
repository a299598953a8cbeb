package dev.switchboard.app.ingress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Makes platform JSON storable in PostgreSQL, whose {@code jsonb} rejects NUL characters and which cannot
 * encode a lone UTF-16 surrogate: NULs are dropped and lone surrogates become U+FFFD. Without this, one odd
 * message would fail its insert again on every redelivery and block the channel behind it.
 */
public final class StorableJson {
  private StorableJson() {}

  /** The object itself when it is storable (the usual case: nothing is copied), else a cleaned copy. */
  public static JsonObject clean(JsonObject json) {
    return isClean(json) ? json : copyClean(json);
  }

  private static boolean isClean(Object value) {
    if (value instanceof String s) {
      return clean(s) == s;
    }
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (clean(e.getKey()) != e.getKey() || !isClean(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof JsonArray a) {
      for (Object item : a) {
        if (!isClean(item)) {
          return false;
        }
      }
    }
    return true;
  }

  private static JsonObject copyClean(JsonObject json) {
    JsonObject result = new JsonObject();
    for (Map.Entry<String, Object> e : json) {
      result.put(clean(e.getKey()), cleanValue(e.getValue()));
    }
    return result;
  }

  private static Object cleanValue(Object value) {
    if (value instanceof String s) {
      return clean(s);
    }
    if (value instanceof JsonObject o) {
      return copyClean(o);
    }
    if (value instanceof JsonArray a) {
      JsonArray result = new JsonArray();
      a.forEach(item -> result.add(cleanValue(item)));
      return result;
    }
    return value;
  }

  public static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      boolean bad = c == '\u0000' || (Character.isSurrogate(c) && !pair);
      if (bad && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        if (c != '\u0000') {
          out.append(bad ? '\uFFFD' : c);
          if (pair) {
            out.append(s.charAt(++i));
          }
        }
      } else if (pair) {
        i++;
      }
    }
    return out == null ? s : out.toString();
  }
}
