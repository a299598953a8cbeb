package dev.switchboard.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.channels.ApiError;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormBodyTest {

  @Test
  void decodesEscapesAndPlusesAsUtf8() {
    assertEquals(Map.of("text", "add oat milk ✓", "command", "/todo", "empty", ""),
        FormBody.parse(Buffer.buffer("text=add+oat%20milk+%E2%9C%93&command=%2Ftodo&empty=&text=ignored")));
  }

  @Test
  void refusesWhatIsNotStrictUtf8OrNotAnEscape() {
    for (String bad : new String[] {"text=%C0%AF", "text=%E0%80%AF", "text=%ED%A0%80", "text=%FF", "text=%4", "text=%zz",
        "text=\u00e9"}) {
      ApiError e = assertThrows(ApiError.class, () -> FormBody.parse(Buffer.buffer(bad)), bad);
      assertEquals(400, e.status(), bad);
    }
  }
}
