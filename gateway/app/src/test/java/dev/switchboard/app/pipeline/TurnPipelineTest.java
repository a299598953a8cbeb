package dev.switchboard.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.inference.Moderation;
import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.PendingMessage;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.quota.SenderQuotas;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.switchboard.app.routing.SemanticMatcher;
import dev.switchboard.app.routing.SkillRouter;
import dev.switchboard.app.session.Session;
import dev.switchboard.app.shard.Shards;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.channels.MessageReport;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Reply;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillContext;
import dev.switchboard.spi.SkillDescriptor;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The turn's stages assembled as the gateway assembles them, with everything around them in memory: sessions
 * in a map, the commit a function that checks versions and fences like {@code complete_turns} does. No
 * PostgreSQL, no Redis, no HTTP.
 */
class TurnPipelineTest {
  private final Vertx vertx = Vertx.vertx();
  private final SkillRunner runner = new SkillRunner(vertx, Duration.ofSeconds(2));

  /** Counts its calls in its state and asks for more until it hears "stop". */
  private static final Skill COUNTER = new Skill() {
    @Override
    public SkillDescriptor descriptor() {
      return SkillDescriptor.builder("counter").commands("count").build();
    }

    @Override
    public SkillResponse handle(Envelope envelope, SkillContext context) {
      int n = context.state().getInteger("n", 0) + 1;
      context.state().put("n", n);
      return envelope.text().equals("stop") ? SkillResponse.reply("stopped at " + n)
          : SkillResponse.ask(Reply.text("count " + n));
    }
  };

  private static final Skill BROKEN = new Skill() {
    @Override
    public SkillDescriptor descriptor() {
      return SkillDescriptor.builder("broken").commands("broken").build();
    }

    @Override
    public SkillResponse handle(Envelope envelope, SkillContext context) {
      throw new IllegalStateException("boom");
    }
  };

  private static final Skill CHAT = new Skill() {
    @Override
    public SkillDescriptor descriptor() {
      return SkillDescriptor.builder("chat").build();
    }

    @Override
    public SkillResponse handle(Envelope envelope, SkillContext context) {
      return SkillResponse.reply("you said " + envelope.text());
    }
  };

  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<Integer, Long> fences = new HashMap<>();
  private final List<TurnOutcome> committed = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final Completions completions = new Completions(vertx);
  private final GatewayMetrics metrics = new GatewayMetrics(new PrometheusRegistry());
  /** Messages each sender may still send; absent = unlimited. A refusal counts as told once told. */
  private final Map<String, Integer> quota = new HashMap<>();
  private final List<String> toldToSlowDown = new ArrayList<>();

  @AfterEach
  void close() {
    runner.close();
    vertx.close().await();
  }

  /** What {@code complete_turns} checks: the fence, then the session version. */
  private Future<CommitResult> commit(TurnOutcome outcome) {
    OwnedMessage owned = outcome.turn().owned();
    if (!fences.get(owned.shard()).equals(owned.fence())) {
      return Future.succeededFuture(CommitResult.FENCED);
    }
    Session stored = sessions.get(outcome.next().conversation());
    long storedVersion = stored == null ? 0 : stored.version();
    if (outcome.next().version() != storedVersion + 1) {
      return Future.succeededFuture(CommitResult.CONFLICT);
    }
    sessions.put(outcome.next().conversation(), outcome.next());
    committed.add(outcome);
    return Future.succeededFuture(CommitResult.OK);
  }

  private static final Moderation.Settings NO_MODERATION =
      new Moderation.Settings(List.of(), List.of(), List.of(), 0.8, "");

  private TurnPipeline pipeline(Moderation.Settings moderation, HistoryLimits history,
      Function<TurnOutcome, Future<CommitResult>> commit) {
    return pipeline(moderation, history, c -> Future.succeededFuture(sessions.getOrDefault(c, Session.fresh(c))),
        commit);
  }

  private TurnPipeline pipeline(Moderation.Settings moderation, HistoryLimits history,
      Function<String, Future<Session>> loadSession, Function<TurnOutcome, Future<CommitResult>> commit) {
    SkillRegistry registry = SkillRegistry.of(List.of(CHAT, COUNTER, BROKEN));
    return new TurnPipeline(
        new OwnStage(shard -> fences.getOrDefault(shard, 0L)),
        new SessionStage(loadSession),
        new QuotaStage(this::takeQuota, metrics),
        new ModerationStage(new Moderation(moderation, null)),
        new RouteStage(new SkillRouter(() -> registry, SemanticMatcher.NONE)),
        new SkillStage(runner, Map.of(), null, metrics),
        new HistoryStage(history),
        new CommitStage(commit),
        new DeliverStage(completions, () -> events.add("wake delivery"), s -> events.add("keep v" + s.version()),
            c -> events.add("drop " + c), shard -> events.add("lost " + shard), metrics),
        dev.switchboard.app.tracing.Tracing.OFF);
  }

  private TurnPipeline pipeline() {
    return pipeline(new Moderation.Settings(List.of("forbidden"), List.of(), List.of(), 0.8, "Not here."),
        HistoryLimits.OFF, this::commit);
  }

  private static long seq = 1;

  /** The bucket as Redis keeps it, in memory: a count per sender, and whether it was told. */
  private Future<SenderQuotas.Decision> takeQuota(ChannelId channel, String sender) {
    Integer left = quota.get(sender);
    if (left == null || left > 0) {
      if (left != null) {
        quota.put(sender, left - 1);
      }
      toldToSlowDown.remove(sender);
      return Future.succeededFuture(new SenderQuotas.Decision(true, 0, false));
    }
    boolean first = !toldToSlowDown.contains(sender);
    toldToSlowDown.add(sender);
    return Future.succeededFuture(new SenderQuotas.Decision(false, 1500, first));
  }

  private static PendingMessage message(String sender, String text, DeliveryPolicy delivery) {
    return message(ChannelId.WEBHOOK, sender, text, delivery);
  }

  private static PendingMessage message(ChannelId channel, String sender, String text, DeliveryPolicy delivery) {
    Content content = text.startsWith("/") ? Content.Command.parse(text) : new Content.Text(text);
    Envelope envelope = new Envelope(new MessageId("m" + seq), channel,
        new ConversationKey(channel, sender), new Sender(sender, null), content, null, null,
        Instant.now(), text.length());
    return new PendingMessage(seq++, envelope, new JsonObject(), delivery,
        Shards.of(envelope.conversation().asString()));
  }

  private CommitResult run(TurnPipeline turns, PendingMessage message) {
    return vertx.getOrCreateContext().<CommitResult>executeBlocking(() -> null)
        .compose(v -> turns.handle(message)).await();
  }

  private void own(String sender) {
    fences.put(Shards.of("webhook:" + sender), 3L);
  }

  @Test
  void aMultiTurnConversationCommitsEachTurnAndTheWaitingCallerGetsTheReportFromMemory() {
    own("ann");
    TurnPipeline turns = pipeline();
    PendingMessage first = message("ann", "/count", DeliveryPolicy.DELIVER);
    completions.expect(first.key());
    Future<MessageReport> waiting = completions.await(first.key(), Duration.ofSeconds(5));
    assertEquals(CommitResult.OK, run(turns, first));
    MessageReport report = waiting.await();
    assertEquals(MessageReport.REPLIED, report.status());
    assertEquals("count 1", report.replies().get(0).text());
    assertEquals("counter", report.route().skill());

    assertEquals(CommitResult.OK, run(turns, message("ann", "again", DeliveryPolicy.DELIVER)));
    assertEquals(CommitResult.OK, run(turns, message("ann", "stop", DeliveryPolicy.DELIVER)));
    assertEquals(List.of("count 1", "count 2", "stopped at 3"),
        committed.stream().map(o -> o.replies().get(0).text()).toList());
    assertEquals(List.of("command", "active", "active"), committed.stream().map(o -> o.route().reason()).toList());
    Session last = sessions.get("webhook:ann");
    assertEquals(3, last.version());
    assertNull(last.activeSkill(), "the skill let the conversation go");
    assertEquals(List.of("keep v1", "wake delivery", "keep v2", "wake delivery", "keep v3", "wake delivery"), events);
  }

  @Test
  void repliesTheCallerReadsBackWakeNoDelivery() {
    own("bob");
    assertEquals(CommitResult.OK,
        run(pipeline(), message("bob", "hello", new DeliveryPolicy(false, Duration.ZERO))));
    assertEquals(List.of("keep v1"), events);
    assertEquals("you said hello", committed.get(0).replies().get(0).text());
  }

  @Test
  void aMessageOfAShardThisNodeDoesNotHoldIsNotRun() {
    assertNull(run(pipeline(), message("carol", "/count", DeliveryPolicy.DELIVER)));
    assertTrue(committed.isEmpty());
    assertTrue(events.isEmpty());
  }

  @Test
  void moderationRefusesBeforeAnySkillAndReleasesAWaitingSkill() {
    own("dan");
    TurnPipeline turns = pipeline();
    run(turns, message("dan", "/count", DeliveryPolicy.DELIVER));
    run(turns, message("dan", "this is forbidden", DeliveryPolicy.DELIVER));
    TurnOutcome refused = committed.get(1);
    assertEquals("Not here.", refused.replies().get(0).text());
    assertEquals("moderation", refused.route().skill());
    assertEquals("blocked:keyword", refused.route().reason());
    assertNull(refused.next().activeSkill());
    assertEquals(1, refused.next().stateOf("counter").getInteger("n"), "the skill's state is kept");
  }

  @Test
  void aPlatformSenderOverQuotaIsToldOnceToSlowDownAndReachesNoSkill() {
    ChannelId telegram = new ChannelId("telegram");
    fences.put(Shards.of("telegram:hal"), 3L);
    quota.put("hal", 1);
    TurnPipeline turns = pipeline();
    for (String text : List.of("/count", "again", "and again", "stop")) {
      assertEquals(CommitResult.OK, run(turns, message(telegram, "hal", text, DeliveryPolicy.DELIVER)));
    }
    assertEquals(List.of(List.of("count 1"), List.of(QuotaStage.SLOW_DOWN), List.of(), List.of()),
        committed.stream().map(o -> o.replies().stream().map(Reply::text).toList()).toList(),
        "one reply, one polite refusal, then silence: each message is on record");
    assertEquals("over_quota", committed.get(3).route().reason());
    assertEquals(1, sessions.get("telegram:hal").stateOf("counter").getInteger("n"), "the skill ran once");
    assertEquals("counter", sessions.get("telegram:hal").activeSkill(), "and still waits for its answer");

    // webhook callers are held to their quota at admission (429), not here
    own("ivy");
    quota.put("ivy", 0);
    run(turns, message("ivy", "/count", DeliveryPolicy.DELIVER));
    assertEquals("count 1", committed.get(4).replies().get(0).text());
  }

  @Test
  void aSkillThatThrowsCostsOnlyItsMessageAnApology() {
    own("eve");
    run(pipeline(), message("eve", "/broken", DeliveryPolicy.DELIVER));
    TurnOutcome outcome = committed.get(0);
    assertEquals(MessageReport.FAILED, outcome.status());
    assertTrue(outcome.replies().get(0).text().startsWith("Sorry, something went wrong"));
    assertEquals("skill broken failed: IllegalStateException", outcome.error());
  }

  @Test
  void aCommitFencedBecauseAnotherNodeTookTheShardGivesTheShardUp() {
    own("fay");
    int shard = Shards.of("webhook:fay");
    TurnPipeline turns = pipeline(NO_MODERATION, HistoryLimits.OFF, outcome -> {
      fences.put(shard, 4L); // another node took the shard while the skill ran
      return commit(outcome);
    });
    assertEquals(CommitResult.FENCED, run(turns, message("fay", "/count", DeliveryPolicy.DELIVER)));
    assertTrue(committed.isEmpty());
    assertEquals(List.of("lost " + shard), events);
  }

  @Test
  void aCommitOnAStaleSessionConflictsAndTheSessionIsDroppedToBeReadAgain() {
    own("gil");
    sessions.put("webhook:gil", new Session("webhook:gil", 5, null, new JsonObject())); // written elsewhere
    TurnPipeline turns = pipeline(NO_MODERATION, HistoryLimits.OFF,
        c -> Future.succeededFuture(Session.fresh(c)), this::commit); // this node's stale copy
    assertEquals(CommitResult.CONFLICT, run(turns, message("gil", "/count", DeliveryPolicy.DELIVER)));
    assertEquals(List.of("drop webhook:gil"), events);
    assertEquals(5, sessions.get("webhook:gil").version(), "nothing written");
  }

  @Test
  void whatPostgresqlCannotStoreBecomesAnApology() {
    own("gus");
    AtomicInteger attempts = new AtomicInteger();
    TurnPipeline turns = pipeline(NO_MODERATION, HistoryLimits.OFF, outcome -> attempts.incrementAndGet() == 1
            ? Future.failedFuture(new PgException("unsupported Unicode escape sequence", "ERROR", "22P05", null))
            : commit(outcome));
    assertEquals(CommitResult.OK, run(turns, message("gus", "/count", DeliveryPolicy.DELIVER)));
    assertEquals(MessageReport.FAILED, committed.get(0).status());
    assertEquals(0, committed.get(0).next().stateOf("counter").size(), "nothing of the failed turn is kept");
  }

  @Test
  void historyKeepsTheExchangeForALanguageModel() {
    own("hal");
    TurnPipeline turns = pipeline(NO_MODERATION, new HistoryLimits(2, 1000), this::commit);
    run(turns, message("hal", "one", DeliveryPolicy.DELIVER));
    run(turns, message("hal", "two", DeliveryPolicy.DELIVER));
    run(turns, message("hal", "three", DeliveryPolicy.DELIVER));
    var history = sessions.get("webhook:hal").history();
    assertEquals(4, history.size(), "two exchanges kept");
    assertEquals("two", history.get(0).text());
    assertEquals("you said three", history.get(3).text());
  }
}
