package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generation through an OpenAI-compatible endpoint (a fake on loopback): the chat fallback and SKILL.md skills
 * send the conversation's recent history, and a rate limit, an outage or a timeout gets the user a clear reply.
 */
class LanguageModelTest {

  @Test
  void chatFallbackAndSkillMarkdownUseTheModelAndItsFailuresGetClearReplies() throws Exception {
    try (FakeOpenAi llm = new FakeOpenAi();
        GatewayProcess gateway = GatewayProcess.start("llm", Map.of(
            "SWITCHBOARD_INFERENCE_LLM_BASE_URL", llm.baseUrl(),
            "SWITCHBOARD_INFERENCE_LLM_MODEL", "test-model",
            "SWITCHBOARD_INFERENCE_LLM_API_KEY", FakeOpenAi.API_KEY,
            "SWITCHBOARD_INFERENCE_LLM_TIMEOUT", "1s",
            "SWITCHBOARD_INFERENCE_MODEL", "none"))) {
      Api api = new Api(gateway);
      Api.Answer first = api.send("lena", "tell me something nice");
      assertEquals("echo: tell me something nice", first.replyText());
      assertEquals("chat", first.json().getJsonObject("route").getString("skill"));
      JsonObject request = llm.calls().get(0);
      assertEquals("test-model", request.getString("model"));
      assertEquals("Bearer " + FakeOpenAi.API_KEY, request.getString("_authorization"));
      JsonArray messages = request.getJsonArray("messages");
      assertEquals("system", messages.getJsonObject(0).getString("role"));
      assertTrue(messages.getJsonObject(0).getString("content").contains("/todo"), "instructions list commands");
      assertEquals(new JsonObject().put("role", "user").put("content", "tell me something nice"),
          messages.getJsonObject(1));

      // The next turn carries the conversation so far; skills' exchanges are part of it too
      assertEquals("Added \"tea\". You have 1 item.", api.send("lena", "/todo add tea").replyText());
      assertEquals("echo: and now?", api.send("lena", "and now?").replyText());
      JsonArray second = llm.calls().get(1).getJsonArray("messages");
      assertEquals(6, second.size(), second.encodePrettily());
      assertEquals("echo: tell me something nice", second.getJsonObject(2).getString("content"));
      assertEquals("/todo add tea", second.getJsonObject(3).getString("content"));
      assertEquals("Added \"tea\". You have 1 item.", second.getJsonObject(4).getString("content"));

      llm.rateLimited.set(1);
      assertEquals("Sorry, the language model is busy right now. Please try again in a moment.",
          api.send("max", "hello?").replyText());
      llm.failing.set(1);
      assertEquals("Sorry, I can't answer right now: the language model failed (HTTP 503). Please try again later.",
          api.send("max", "hello?").replyText());
      llm.slow.set(1);
      assertEquals("Sorry, I can't answer right now: the language model did not answer in time. "
          + "Please try again later.", api.send("max", "hello?").replyText());
      assertEquals("echo: hello?", api.send("max", "hello?").replyText());
      llm.huge.set(1);
      assertEquals("Sorry, I can't answer right now: the language model's answer is too long. "
          + "Please try again later.", api.send("max", "write a lot").replyText());
      llm.withNul.set(1);
      assertEquals("echo: odd!", api.send("max", "odd").replyText(), "the NUL is dropped, the reply stored");
      assertEquals("echo: still there?", api.send("max", "still there?").replyText());

      Path skill = Files.createDirectories(gateway.workDir().resolve("plugins/poet")).resolve("SKILL.md");
      Files.writeString(skill, """
          ---
          name: poet
          commands: [poem]
          reply: Roses are red.
          ---
          You write a two-line poem about what the person asks.
          """);
      long deadline = System.nanoTime() + 8_000_000_000L;
      Api.Answer poem;
      do {
        Thread.sleep(200);
        poem = api.send("pia", "/poem the sea");
      } while (!"poet".equals(poem.json().getJsonObject("route").getString("skill")) && System.nanoTime() < deadline);
      assertEquals("echo: /poem the sea", poem.replyText());
      JsonArray sent = llm.calls().get(llm.calls().size() - 1).getJsonArray("messages");
      assertEquals("You write a two-line poem about what the person asks.",
          sent.getJsonObject(0).getString("content"));
    }
  }
}
