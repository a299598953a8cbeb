package dev.switchboard.app.pipeline;

import dev.switchboard.app.inference.Moderation;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.ingress.StorableJson;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.routing.SkillRouter;
import dev.switchboard.app.session.Session;
import dev.switchboard.app.session.SessionStore;
import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.app.skills.TurnContext;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.channels.RouteRecord;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a conversation's pending messages, oldest first, one turn each: load the session, route, run the
 * skill, then commit the new session, the message's outcome and its replies atomically ({@link TurnStore}). A
 * turn whose commit finds the session or the message changed by another node is dropped and the conversation
 * read again, so each message is handled to completion once.
 */
public final class TurnProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(TurnProcessor.class);

  /** A turn about to be committed. */
  private record Turn(PendingMessage message, Session next, MessageOutcome outcome) {}

  /** What handling a message produced. */
  private record MessageOutcome(String status, List<Reply> replies, RouteRecord route,
      String error, boolean visibleToAll) {}

  private final Vertx vertx;
  private final TurnStore turns;
  private final InboundStore inbound;
  private final SessionStore sessions;
  private final SkillRouter router;
  private final SkillRunner runner;
  private final Map<String, ChannelAdapter> channels;
  private final Map<String, JsonObject> skillConfig;
  private final Completions completions;
  private final InferenceClient inference;
  private final Moderation moderation;
  private final History history;
  private volatile boolean stopping;

  /**
   * What turns remember of a conversation for a language model: nothing when {@code turns} is 0.
   *
   * @param turns most exchanges kept
   * @param chars most characters kept
   */
  public record History(int turns, int chars) {
    public static final History OFF = new History(0, 0);
  }

  /**
   * What a turn needs around the skill itself.
   *
   * @param config {@code skills.config.<name>.*}, per skill
   * @param inference what skills reach models through
   * @param moderation the safety step before routing
   */
  public record SkillServices(SkillRouter router, SkillRunner runner, Map<String, JsonObject> config,
      InferenceClient inference, Moderation moderation, History history) {}

  public TurnProcessor(Vertx vertx, Pool pg, InboundStore inbound, SessionStore sessions, SkillServices skills,
      Map<String, ChannelAdapter> channels, Completions completions) {
    this.vertx = vertx;
    this.turns = new TurnStore(pg);
    this.inbound = inbound;
    this.sessions = sessions;
    this.router = skills.router();
    this.runner = skills.runner();
    this.skillConfig = skills.config();
    this.inference = skills.inference();
    this.moderation = skills.moderation();
    this.history = skills.history();
    this.channels = channels;
    this.completions = completions;
  }

  /** After this, lanes finish the message in hand and take no new one (it stays pending for the next start). */
  void stop() {
    stopping = true;
  }

  /**
   * Handles the conversation's oldest pending message, if any. Answers {@code true} when there may be more:
   * the lane calls again (one message per call keeps future chains short, however long the backlog).
   */
  Future<Boolean> handleNext(String conversation) {
    if (stopping) {
      return Future.succeededFuture(false);
    }
    return inbound.nextPending(conversation).compose(next -> {
      if (next == null) {
        return Future.succeededFuture(false);
      }
      return handle(next).map(true);
    });
  }

  private Future<Void> handle(PendingMessage message) {
    String conversation = message.envelope().conversation().asString();
    return sessions.load(conversation)
        .compose(session -> runTurn(message, session).compose(turn -> commitOrApologize(turn, session)))
        .compose(committed -> {
          if (committed == null) {
            LOG.debug("conversation={} changed under us; reading it again", conversation);
            return sessions.evict(conversation);
          }
          afterCommit(committed);
          return Future.succeededFuture();
        });
  }

  /**
   * Commits the turn and answers it, or {@code null} when another node changed the session or handled the
   * message. What PostgreSQL refuses to store (a data exception) is replaced by an apology, so one odd reply
   * cannot make its conversation retry forever.
   */
  private Future<Turn> commitOrApologize(Turn turn, Session session) {
    return commit(turn).map(ok -> ok ? turn : null).recover(e -> {
      if (!(e instanceof PgException pg) || pg.getSqlState() == null || !pg.getSqlState().startsWith("22")) {
        return Future.failedFuture(e);
      }
      Turn apology = failed(turn.message(), session, turn.outcome().route(), e);
      return commit(apology).map(ok -> ok ? apology : null);
    });
  }

  private Future<Turn> runTurn(PendingMessage message, Session session) {
    return moderation.check(message.envelope()).compose(verdict -> verdict != null
        ? Future.succeededFuture(refused(message, session, verdict))
        : runSkill(message, session).map(turn -> remember(turn, message.envelope())));
  }

  private Future<Turn> runSkill(PendingMessage message, Session session) {
    Envelope envelope = message.envelope();
    return routeAndHold(envelope, session, 3).compose(decision -> {
      LoadedSkill skill = decision.skill();
      if (!skill.health().admit()) {
        skill.plugin().release();
        return Future.succeededFuture(quarantined(message, session, decision));
      }
      String name = skill.name();
      JsonObject state;
      TurnContext context;
      try {
        state = session.stateOf(name);
        context = new TurnContext(envelope, name, state, skillConfig.get(name), decision.registry().catalog(),
            inference, session.history());
      } catch (RuntimeException e) { // an unreadable session: the plugin must not stay held
        skill.plugin().release();
        return Future.failedFuture(e);
      }
      return runner.run(skill.skill(), skill.plugin().classLoader(), envelope, context)
          .onComplete(done -> skill.plugin().release())
          .map(response -> {
            Turn turn = succeeded(message, session, decision, response, state);
            if (MessageReport.FAILED.equals(turn.outcome().status())) {
              skill.health().failed(false, turn.outcome().error());
            } else {
              skill.health().succeeded();
            }
            return turn;
          })
          .recover(failure -> {
            if (failure instanceof RejectedExecutionException) {
              skill.health().notRun();
              return Future.failedFuture(failure); // busy: the message stays pending and is retried
            }
            Turn turn = failed(message, session, decision.record(), failure);
            skill.health().failed(failure instanceof TimeoutException, turn.outcome().error());
            return Future.succeededFuture(turn);
          });
    });
  }

  /**
   * Routes and holds the chosen skill's plugin for the turn. A plugin retired since the skill set was read
   * means a newer set is published: route again on it.
   */
  private Future<SkillRouter.Decision> routeAndHold(Envelope envelope, Session session, int attempts) {
    return router.route(envelope, session).compose(decision -> {
      if (decision.skill().plugin().retain()) {
        return Future.succeededFuture(decision);
      }
      if (attempts <= 1) {
        return Future.failedFuture(new RejectedExecutionException("the skill set is changing; trying again"));
      }
      return routeAndHold(envelope, session, attempts - 1);
    });
  }

  private static Turn succeeded(PendingMessage message, Session session, SkillRouter.Decision decision,
      SkillResponse response, JsonObject state) {
    String skill = decision.record().skill();
    // PostgreSQL cannot store NUL or lone surrogates: a skill's odd output is cleaned, not retried forever.
    Session next = session.next(skill, StorableJson.clean(state), response.awaitingAnswer() ? skill : null);
    if (next.skillStates().toBuffer().length() > Session.MAX_BYTES) {
      return failed(message, session, decision.record(),
          new IllegalStateException("session state over " + Session.MAX_BYTES + " bytes"));
    }
    List<Reply> replies = response.replies().stream().map(TurnProcessor::storable).toList();
    return new Turn(message, next,
        new MessageOutcome(MessageReport.REPLIED, replies, decision.record(), null, response.visibleToAll()));
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

  /** The sender gets a short apology; the skill's state is left as it was and it lets go of the conversation. */
  private static Turn failed(PendingMessage message, Session session, RouteRecord route, Throwable failure) {
    String skill = route.skill();
    boolean timedOut = failure instanceof TimeoutException;
    String error = timedOut
        ? "skill " + skill + " timed out"
        : "skill " + skill + " failed: " + failure.getClass().getSimpleName();
    LOG.warn("message={} conversation={} {}", message.envelope().id(), message.envelope().conversation(),
        timedOut ? error : error + ": " + failure.getMessage());
    String apology = timedOut
        ? "Sorry, that took too long to answer. Please try again."
        : "Sorry, something went wrong while handling that. Please try again.";
    return apology(message, session, route, error, apology);
  }

  /** A message the safety step refused reaches no skill; the sender gets the configured reply. */
  private Turn refused(PendingMessage message, Session session, Moderation.Verdict verdict) {
    LOG.info("message={} conversation={} refused by moderation ({})", message.envelope().id(),
        message.envelope().conversation(), verdict.rule());
    return new Turn(message, session.withActiveSkill(null), new MessageOutcome(MessageReport.REPLIED,
        List.of(Reply.text(moderation.settings().reply())),
        new RouteRecord("moderation", "blocked:" + verdict.rule(), verdict.score()), null, false));
  }

  /** Keeps the exchange for the language model's context, when one is configured. */
  private Turn remember(Turn turn, Envelope envelope) {
    if (history.turns() == 0 || turn.outcome().replies().isEmpty()) {
      return turn;
    }
    String answered = String.join("\n", turn.outcome().replies().stream().map(Reply::text).toList());
    Session next = turn.next().withExchange(StorableJson.clean(envelope.text()), answered, history.turns(),
        history.chars());
    if (next.skillStates().toBuffer().length() > Session.MAX_BYTES) {
      return turn; // the skills' own state comes first; the history stays as it was
    }
    return new Turn(turn.message(), next, turn.outcome());
  }

  /** A quarantined skill is not called: the sender is told it is paused. */
  private static Turn quarantined(PendingMessage message, Session session, SkillRouter.Decision decision) {
    String skill = decision.record().skill();
    return apology(message, session, decision.record(), "skill " + skill + " is quarantined after repeated failures",
        "Sorry, " + skill + " is paused after repeated failures. Please try again later.");
  }

  private static Turn apology(PendingMessage message, Session session, RouteRecord route, String error,
      String apology) {
    return new Turn(message, session.withActiveSkill(null),
        new MessageOutcome(MessageReport.FAILED, List.of(Reply.text(apology)), route, error, false));
  }

  /** Commits the turn; answers {@code false} when another node changed the session or handled the message. */
  private Future<Boolean> commit(Turn turn) {
    PendingMessage message = turn.message();
    ChannelAdapter channel = channels.get(message.envelope().channel().value());
    boolean needsDelivery = channel == null || channel.needsDelivery(message.replyAddress());
    Duration hold = channel == null ? Duration.ZERO : channel.deliveryHold(message.replyAddress());
    MessageOutcome outcome = turn.outcome();
    return turns.commit(message, turn.next(), outcome.status(), outcome.route(), outcome.error(), outcome.replies(),
        outcome.visibleToAll(), needsDelivery, hold);
  }

  /** Wakes waiting callers and delivery, and refreshes the hot copy without waiting for it. */
  private void afterCommit(Turn turn) {
    Envelope envelope = turn.message().envelope();
    completions.done(Completions.key(envelope.channel().value(), envelope.id().value()));
    vertx.eventBus().send(PipelineAddresses.OUTBOX_READY, null);
    sessions.cache(turn.next());
  }
}
