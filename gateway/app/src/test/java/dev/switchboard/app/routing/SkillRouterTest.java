package dev.switchboard.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
      skill(SkillDescriptor.builder("fallback").build()),
      skill(SkillDescriptor.builder("todo").commands("todo").build()),
      skill(SkillDescriptor.builder("weather").commands("weather").keywords("rain").build()),
      skill(SkillDescriptor.builder("alerts").keywords("rain", "storm").build()),
      skill(SkillDescriptor.builder("clash").commands("todo").build())), "test", List.of());
  private final SkillRouter router = new SkillRouter(registry);

  @Test
  void commandWinsOverEverything() {
    assertRoute("todo", "command", router.route(message("/todo list"), waitingFor("weather")));
  }

  @Test
  void theWaitingSkillTakesTheAnswerEvenIfItHasAnotherSkillsKeyword() {
    assertRoute("todo", "active", router.route(message("rain boots"), waitingFor("todo")));
  }

  @Test
  void keywordTiesGoToTheFirstNameAndUnknownGoesToFallback() {
    assertRoute("alerts", "keyword", router.route(message("will it rain"), fresh()));
    assertEquals(1.0, router.route(message("will it rain"), fresh()).record().score());
    assertRoute("fallback", "fallback", router.route(message("hello"), fresh()));
    assertRoute("fallback", "fallback", router.route(message("/unknown"), fresh()));
  }

  @Test
  void aSecondOwnerOfACommandIsRejected() {
    assertEquals(1, registry.rejected().size());
    assertEquals("command /todo belongs to todo", registry.rejected().get(0).reason());
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
