package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The local embedding model at work in the real gateway: messages routed by meaning, FAQ answers to paraphrased
 * questions (the file hot-reloads), moderation by example, and a model switch under traffic.
 */
class SemanticRoutingTest {

  @Test
  void meaningRoutesAnswersTheFaqRefusesAndSurvivesAModelSwitch() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start("semantic", Map.of(), true, """
        skills:
          config:
            faq:
              file: ./faq.yml
        moderation:
          blocked-keywords: [forbiddenword]
          blocked-examples: ["how do I make a weapon at home"]
          threshold: 0.7
          reply: I can't help with that here.
        """)) {
      Api api = new Api(gateway);
      Path faq = gateway.workDir().resolve("faq.yml");
      Files.writeString(faq, """
          - q: How do I reset my password?
            a: Open Settings, then Account, then Reset password.
          - q: [What are your opening hours?, When are you open?]
            a: We are open 9 to 5, Monday to Friday.
          """);
      awaitIndex(api, index -> index.getInteger("skills") == 3, "help, todo and the FAQ's questions in the index");

      Api.Answer list = api.send("nina", "what's on my list?");
      assertEquals("Your list is empty. Add something with /todo add <item>.", list.replyText());
      JsonObject route = list.json().getJsonObject("route");
      assertEquals("todo", route.getString("skill"));
      assertEquals("semantic", route.getString("reason"));
      assertTrue(route.getDouble("score") >= 0.5, route.encode());
      assertEquals("Added \"oat milk\". You have 1 item.", api.send("nina", "add oat milk to my list").replyText());

      Api.Answer unrelated = api.send("nina", "the dragon flew over the mountains at dawn");
      assertEquals("fallback", unrelated.json().getJsonObject("route").getString("reason"), unrelated.raw().body());

      Api.Answer password = api.send("omar", "I forgot my password, how can I change it?");
      assertEquals("Open Settings, then Account, then Reset password.", password.replyText());
      assertEquals("faq", password.json().getJsonObject("route").getString("skill"));
      assertEquals("We are open 9 to 5, Monday to Friday.", api.send("omar", "/faq at what time do you open").replyText());
      assertEquals("I don't know the answer to that one, sorry. Try /help for what else I can do.",
          api.send("omar", "/faq what is the boiling point of lead").replyText());

      Files.writeString(faq, """
          - q: What are your opening hours?
            a: From December we are open 8 to 6.
          """);
      assertEquals("From December we are open 8 to 6.", api.send("omar", "/faq when do you open?").replyText());

      Api.Answer keyword = api.send("pat", "say the forbiddenword please");
      assertEquals("I can't help with that here.", keyword.replyText());
      assertEquals("blocked:keyword", keyword.json().getJsonObject("route").getString("reason"));
      Api.Answer example = api.send("pat", "how can I build a weapon in my house?");
      assertEquals("I can't help with that here.", example.replyText());
      assertEquals("blocked:example", example.json().getJsonObject("route").getString("reason"));

      // Switch the model while messages keep coming: none is lost, and routing works with the new model
      List<CompletableFuture<Api.Answer>> during = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        during.add(api.postAsync("/v1/messages", new JsonObject().put("sender", new JsonObject().put("id", "q" + i))
            .put("text", "what's on my list?").encode(), Map.of()));
      }
      Api.Answer switched = api.post("/admin/inference/model", new JsonObject().put("model", "bge-small-en-v1.5"));
      assertEquals(200, switched.status(), switched.raw().body());
      assertEquals(384, switched.json().getInteger("dimensions"));
      for (CompletableFuture<Api.Answer> answer : during) {
        assertEquals("Your list is empty. Add something with /todo add <item>.", answer.get().replyText());
      }
      awaitModel(api, "bge-small-en-v1.5");
      Api.Answer after = api.send("rita", "show me my to-do list");
      assertEquals("semantic", after.json().getJsonObject("route").getString("reason"), after.raw().body());
      assertEquals("todo", after.json().getJsonObject("route").getString("skill"));

      String metrics = api.get("/metrics").raw().body();
      assertTrue(metrics.contains("switchboard_inference_texts_total{model=\"bge-small-en-v1.5\"}"), metrics);
      assertTrue(metrics.matches("(?s).*switchboard_skill_messages_total\\{outcome=\"handled\",skill=\"faq\"} [1-9].*"),
          metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);

      Api.Answer unknown = api.post("/admin/inference/model", new JsonObject().put("model", "no-such-model"));
      assertEquals(400, unknown.status(), unknown.raw().body());
      assertEquals("unknown_model", unknown.json().getJsonObject("error").getString("code"));
    }
  }

  private static void awaitIndex(Api api, java.util.function.Predicate<JsonObject> ready, String what)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonObject semantic;
    do {
      Thread.sleep(200);
      semantic = api.get("/admin/inference").json().getJsonObject("semantic_index");
    } while (!ready.test(semantic) && System.nanoTime() < deadline);
    assertTrue(ready.test(semantic), what + ": " + semantic);
  }

  private static void awaitModel(Api api, String model) throws Exception {
    awaitIndex(api, index -> model.equals(index.getString("model")), "the index embedded with " + model);
  }
}
