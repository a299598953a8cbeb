package dev.switchboard.channels.slack;

import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.StrictUtf8;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads an {@code application/x-www-form-urlencoded} body (after its signature was checked on the raw bytes). */
final class FormBody {
  private FormBody() {}

  static Map<String, String> parse(Buffer raw) {
    Map<String, String> fields = new HashMap<>();
    String body = raw.toString(StandardCharsets.ISO_8859_1); // a form body is ASCII; its escapes are decoded below
    if (body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      fields.putIfAbsent(key, value);
    }
    return fields;
  }

  /** Percent-decodes to bytes, then decodes those strictly as UTF-8 (URLDecoder would replace bad bytes). */
  private static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= encoded.length() || Character.digit(encoded.charAt(i + 1), 16) < 0
            || Character.digit(encoded.charAt(i + 2), 16) < 0) {
          throw ApiError.invalid("invalid_form", "the form body is not valid", null);
        }
        bytes.write(Character.digit(encoded.charAt(i + 1), 16) * 16 + Character.digit(encoded.charAt(i + 2), 16));
        i += 2;
      } else if (c > 0x7F) {
        throw ApiError.invalid("invalid_form", "the form body is not valid", null);
      } else {
        bytes.write(c);
      }
    }
    return StrictUtf8.decode(bytes.toByteArray(), "a form field");
  }
}
