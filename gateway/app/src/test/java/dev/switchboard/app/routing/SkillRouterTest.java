package dev.switchboard.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.session.Session;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkillRouterTest {

  private static Skill skill(SkillDescriptor descriptor) {
    return new Skill() {
      @Override
      public SkillDescriptor descriptor() {
        return descriptor;
      }

      @Override
      public SkillResponse handle(Envelope envelope, SkillContext context) {
        return SkillResponse.none();
      }
    };
  }

  private final SkillRegistry registry = SkillRegistry.of(List.of(
      skill(SkillDescriptor.builder("chat").build()),
      skill(SkillDescriptor.builder("todo").commands("todo").examples("what is on my list").build()),
      skill(SkillDescriptor.builder("weather").commands("weather").keywords("rain").build()),
      skill(SkillDescriptor.builder("alerts").keywords("rain", "storm").build()),
      skill(SkillDescriptor.builder("clash").commands("todo").build())));
  /** Stands in for the embedding model: "my list" means todo, at 0.8. */
  private final SemanticMatcher semantic = (envelope, candidates) -> Future.succeededFuture(
      envelope.text().contains("my list") && candidates.stream().anyMatch(c -> c.name().equals("todo"))
          ? new SemanticMatcher.Match("todo", 0.8) : null);
  private final SkillRouter router = new SkillRouter(() -> registry, semantic);

  @Test
  void commandWinsOverEverything() {
    assertRoute("todo", "command", route("/todo list", waitingFor("weather")));
  }

  @Test
  void theWaitingSkillTakesTheAnswerEvenIfItHasAnotherSkillsKeyword() {
    assertRoute("todo", "active", route("rain boots", waitingFor("todo")));
  }

  @Test
  void keywordTiesGoToTheFirstNameAndUnknownGoesToFallback() {
    assertRoute("alerts", "keyword", route("will it rain", fresh()));
    assertEquals(1.0, route("will it rain", fresh()).record().score());
    assertRoute("chat", "fallback", route("hello", fresh()));
    assertRoute("chat", "fallback", route("/unknown", fresh()));
  }

  @Test
  void semanticComesAfterKeywordsAndBeforeFallbackWithItsScore() {
    SkillRouter.Decision decision = route("what's on my list", fresh());
    assertRoute("todo", "semantic", decision);
    assertEquals(0.8, decision.record().score());
    assertRoute("alerts", "keyword", route("rain on my list", fresh()));
  }

  @Test
  void aQuarantinedSkillTakesNoPartInKeywordOrSemanticMatching() {
    for (int i = 0; i < 5; i++) {
      registry.byName("alerts").health().failed(false, "boom");
    }
    assertTrue(registry.byName("alerts").health().quarantined());
    assertRoute("weather", "keyword", route("will it rain", fresh()));
    for (int i = 0; i < 5; i++) {
      registry.byName("todo").health().failed(true, "slow");
    }
    assertRoute("chat", "fallback", route("what's on my list", fresh()));
    assertRoute("todo", "command", route("/todo", fresh())); // a command still reaches it, to be refused
  }

  @Test
  void aSecondOwnerOfACommandIsRejected() {
    assertEquals(1, registry.rejected().size());
    assertEquals("clash", registry.rejected().get(0).name());
    assertEquals("command /todo already belongs to todo (built-in)", registry.rejected().get(0).reason());
  }

  private SkillRouter.Decision route(String text, Session session) {
    return router.route(message(text), session).result();
  }

  private static void assertRoute(String skill, String reason, SkillRouter.Decision decision) {
    assertEquals(skill, decision.record().skill());
    assertEquals(reason, decision.record().reason());
  }

  private static Session fresh() {
    return Session.fresh("webhook:c");
  }

  private static Session waitingFor(String skill) {
    return new Session("webhook:c", 3, skill, new JsonObject());
  }

  private static Envelope message(String text) {
    Content content = Content.Command.parse(text);
    return new Envelope(new MessageId("m"), ChannelId.WEBHOOK, new ConversationKey(ChannelId.WEBHOOK, "c"),
        Sender.of("u"), content != null ? content : new Content.Text(text), null, null, Instant.now(), 1);
  }
}
