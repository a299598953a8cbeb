package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An embedding model that does not load costs the optional features, never the gateway. */
class ModelFailureTest {

  @Test
  void aBrokenModelFolderIsReportedAndConversationsGoOn() throws Exception {
    Path model = Files.createDirectories(Path.of("target/broken-model").toAbsolutePath());
    Files.writeString(model.resolve("model.onnx"), "not an onnx model");
    Files.writeString(model.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}");
    try (GatewayProcess gateway = GatewayProcess.start("broken-model",
        Map.of("SWITCHBOARD_INFERENCE_MODEL", model.toString()))) {
      assertTrue(gateway.stdout().contains("FAILED to load"), gateway.stdout());
      assertTrue(gateway.stderr().contains("did not load; running without semantic routing"), gateway.stderr());
      Api api = new Api(gateway);
      assertEquals(200, api.get("/health/ready").status());
      assertEquals("Added \"bread\". You have 1 item.", api.send("una", "/todo add bread").replyText());
      assertEquals("fallback", api.send("una", "what is on my list?").json().getJsonObject("route")
          .getString("reason"));
      Api.Answer faq = api.send("una", "/faq anything");
      assertEquals(200, faq.status());
    }
  }
}
