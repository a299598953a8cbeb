package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads an {@code application/x-www-form-urlencoded} body (after its signature was checked on the raw bytes). */
final class FormBody {
  private FormBody() {}

  static Map<String, String> parse(Buffer raw) {
    Map<String, String> fields = new HashMap<>();
    String body = raw.toString(StandardCharsets.UTF_8);
    if (body.isEmpty()) {
      return fields;
    }
    try {
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        fields.putIfAbsent(key, value);
      }
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("invalid_form", "the form body is not valid", null);
    }
    return fields;
  }
}
