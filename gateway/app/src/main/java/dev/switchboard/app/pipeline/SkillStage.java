package dev.switchboard.app.pipeline;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.ingress.StorableJson;
import dev.switchboard.app.session.Session;
import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.app.skills.TurnContext;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run skill: calls the routed skill with its state and settings, and turns what it answered — or how it failed
 * — into the turn's outcome. A quarantined skill is not called; a skill that throws or times out costs only
 * this message (an apology, its state unchanged). A full skill pool fails the step: the message stays pending
 * and is tried again.
 */
final class SkillStage {
  private static final Logger LOG = LoggerFactory.getLogger(SkillStage.class);

  private final SkillRunner runner;
  private final Map<String, JsonObject> skillConfig;
  private final InferenceClient inference;
  private final GatewayMetrics metrics;

  /** @param skillConfig {@code skills.config.<name>.*}, per skill */
  SkillStage(SkillRunner runner, Map<String, JsonObject> skillConfig, InferenceClient inference,
      GatewayMetrics metrics) {
    this.runner = runner;
    this.metrics = metrics;
    this.skillConfig = skillConfig;
    this.inference = inference;
  }

  Future<TurnOutcome> apply(RoutedTurn routed) {
    LoadedTurn turn = routed.turn();
    LoadedSkill skill = routed.decision().skill();
    RouteRecord route = routed.decision().record();
    if (!skill.health().admit()) {
      skill.plugin().release();
      return Future.succeededFuture(TurnOutcome.apology(turn, route,
          "skill " + skill.name() + " is quarantined after repeated failures",
          "Sorry, " + skill.name() + " is paused after repeated failures. Please try again later."));
    }
    JsonObject state;
    TurnContext context;
    try {
      state = turn.session().stateOf(skill.name());
      context = new TurnContext(turn.envelope(), skill.name(), state, skillConfig.get(skill.name()),
          routed.decision().registry().catalog(), inference, turn.session().history());
    } catch (RuntimeException e) { // an unreadable session: the plugin must not stay held
      skill.plugin().release();
      return Future.failedFuture(e);
    }
    long started = System.nanoTime();
    return runner.run(skill.skill(), skill.plugin().classLoader(), turn.envelope(), context)
        .onComplete(done -> {
          skill.plugin().release();
          metrics.skill(skill.name(), java.time.Duration.ofNanos(System.nanoTime() - started));
        })
        .map(response -> {
          TurnOutcome outcome = answered(turn, route, response, state);
          if (MessageReport.FAILED.equals(outcome.status())) {
            skill.health().failed(false, outcome.error());
          } else {
            skill.health().succeeded();
          }
          return outcome;
        })
        .recover(failure -> {
          if (failure instanceof RejectedExecutionException) {
            skill.health().notRun();
            return Future.failedFuture(failure);
          }
          TurnOutcome outcome = failed(turn, route, failure);
          skill.health().failed(failure instanceof TimeoutException, outcome.error());
          return Future.succeededFuture(outcome);
        });
  }

  /** The outcome of a skill that answered; a state grown beyond the session limit fails the message instead. */
  static TurnOutcome answered(LoadedTurn turn, RouteRecord route, SkillResponse response, JsonObject state) {
    // PostgreSQL cannot store NUL or lone surrogates: a skill's odd output is cleaned, not retried forever.
    Session next = turn.session().next(route.skill(), StorableJson.clean(state),
        response.awaitingAnswer() ? route.skill() : null);
    if (next.skillStates().toBuffer().length() > Session.MAX_BYTES) {
      return failed(turn, route, new IllegalStateException("session state over " + Session.MAX_BYTES + " bytes"));
    }
    List<Reply> replies = response.replies().stream().map(SkillStage::storable).toList();
    return new TurnOutcome(turn, next, MessageReport.REPLIED, replies, route, null, response.visibleToAll());
  }

  /** The sender gets a short apology; the skill's state is left as it was and it lets go of the conversation. */
  static TurnOutcome failed(LoadedTurn turn, RouteRecord route, Throwable failure) {
    boolean timedOut = failure instanceof TimeoutException;
    String error = timedOut
        ? "skill " + route.skill() + " timed out"
        : "skill " + route.skill() + " failed: " + failure.getClass().getSimpleName();
    TurnLog.about(LOG.atWarn(), turn.envelope()).log(timedOut ? error : error + ": " + failure.getMessage());
    return TurnOutcome.apology(turn, route, error, timedOut
        ? "Sorry, that took too long to answer. Please try again."
        : "Sorry, something went wrong while handling that. Please try again.");
  }

  private static Reply storable(Reply reply) {
    String text = StorableJson.clean(reply.text());
    String shown = text.isEmpty() ? "…" : text;
    if (reply instanceof Reply.Choices choices) {
      return new Reply.Choices(shown, choices.choices().stream()
          .map(c -> new Choice(StorableJson.clean(c.label()), StorableJson.clean(c.value()))).toList());
    }
    return text.equals(reply.text()) ? reply : Reply.text(shown);
  }
}
