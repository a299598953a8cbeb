package dev.switchboard.channels;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Parses untrusted JSON bodies: one object at the root, nesting at most {@link #MAX_DEPTH} levels, no duplicate
 * keys, valid UTF-8 ({@link StrictUtf8}), nothing after the value. Anything else is a 400 {@link ApiError},
 * never an exception that could become a 500.
 */
public final class StrictJson {
  /** Deepest nesting accepted; platform payloads stay well below it. */
  public static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(1 << 20)
          .maxNumberLength(100)
          .build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private StrictJson() {}

  /** Reads {@code body} as one JSON object. */
  public static JsonObject parseObject(Buffer body) {
    // decoded strictly first (Jackson lets overlong forms through), then parsed from the text
    String text = StrictUtf8.decode(body.getBytes(), "the request body");
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw ApiError.invalid("invalid_json", "request body is empty", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw ApiError.invalid("invalid_json", "request body must be a JSON object", null);
      }
      JsonObject object = readObject(parser);
      if (parser.nextToken() != null) {
        throw ApiError.invalid("invalid_json", "unexpected content after the JSON object", null);
      }
      return object;
    } catch (JsonProcessingException e) {
      throw ApiError.invalid("invalid_json", "request body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw ApiError.invalid("invalid_json", "request body could not be read as JSON", null);
    }
  }

  private static JsonObject readObject(JsonParser parser) throws IOException {
    JsonObject object = new JsonObject();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.put(name, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static JsonArray readArray(JsonParser parser) throws IOException {
    JsonArray array = new JsonArray();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      array.add(readValue(parser, token));
    }
    return array;
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw ApiError.invalid("invalid_json", "request body ends too early", null);
    }
    return switch (token) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> readArray(parser);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw ApiError.invalid("invalid_json", "unexpected JSON token " + token, null);
    };
  }
}
