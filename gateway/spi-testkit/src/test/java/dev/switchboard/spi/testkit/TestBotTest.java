package dev.switchboard.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestBotTest {

  /** Counts messages per conversation; "boom" changes the count, then fails; "ask" asks the language model. */
  static final class Counter implements Skill {
    @Override
    public SkillDescriptor descriptor() {
      return SkillDescriptor.builder("counter").description("Counts").commands("count").keywords("count").build();
    }

    @Override
    public SkillResponse handle(Envelope envelope, SkillContext context) throws Exception {
      int count = context.state().getInteger("count", 0) + 1;
      context.state().put("count", count);
      if (envelope.text().equals("boom")) {
        throw new IllegalStateException("boom");
      }
      if (envelope.text().equals("ask")) {
        return SkillResponse.reply(context.inference().generate("be brief", context.history()));
      }
      return SkillResponse.reply(context.sender().id() + " #" + count);
    }
  }

  @Test
  void eachSenderHasAConversationAndItsStateIsKeptOnlyWhenTheTurnSucceeds() {
    TestBot bot = TestBot.of(new Counter());
    assertEquals(List.of("alice #1"), bot.say("/count"));
    assertEquals(List.of("alice #2"), bot.say("hello"));
    assertEquals(List.of("bob #1"), bot.as("bob").say("hello"));
    assertThrows(IllegalStateException.class, () -> bot.as("alice").say("boom"));
    assertEquals(2, bot.state().getInteger("count"), "a failed turn changes nothing");
    assertEquals(List.of("alice #3"), bot.say("again"));
    assertEquals(1.0, bot.match("please count this"));
  }

  @Test
  void theLanguageModelSeesTheConversationSoFar() throws Exception {
    FakeInference model = new FakeInference().generating((instructions, messages) -> messages.size() + " before");
    TestBot bot = TestBot.of(new Counter()).inference(model);
    bot.say("hi");
    assertEquals(List.of("2 before"), bot.say("ask"));
    assertEquals(List.of(ChatMessage.user("hi"), ChatMessage.assistant("alice #1")), model.asked().get(0));
  }

  @Test
  void fakeEmbeddingsMatchWhatTheyAreMeantTo() throws Exception {
    FakeInference model = new FakeInference().embedding("weather", 1, 0).embedding("forecast", 0.9f, 0.1f);
    List<float[]> vectors = model.embed(List.of("weather", "forecast", "pizza"));
    assertTrue(InferenceClient.similarity(vectors.get(0), vectors.get(1)) > 0.9);
    assertEquals(0.0, InferenceClient.similarity(vectors.get(0), vectors.get(2)), 1e-9, "an unknown text matches nothing");
  }
}
