package dev.switchboard.channels;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes from outside as UTF-8 and refuses what is not: malformed sequences, overlong forms (a {@code /}
 * or NUL in two or three bytes, the classic way past a filter), encoded surrogates, code points beyond U+10FFFF.
 * The JDK's decoder checks all of these when told to report rather than replace.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The text, or a 400 {@link ApiError} {@code invalid_encoding}.
   *
   * @param what what the bytes are, for the error message ({@code the request body})
   */
  public static String decode(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiError.invalid("invalid_encoding", what + " is not valid UTF-8", null);
    }
  }
}
