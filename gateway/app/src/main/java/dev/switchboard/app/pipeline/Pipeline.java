package dev.switchboard.app.pipeline;

import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.app.tracing.Tracing;
import dev.switchboard.app.batch.GroupCommit;
import dev.switchboard.app.inference.Moderation;
import dev.switchboard.app.ingress.DeliveryPolicy;
import dev.switchboard.app.ingress.InboundStore;
import dev.switchboard.app.outbox.OutboxStore;
import dev.switchboard.app.routing.SkillRouter;
import dev.switchboard.app.session.SessionStore;
import dev.switchboard.app.shard.ShardOwnership;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.channels.InboundGateway;
import dev.switchboard.spi.InferenceClient;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;

/**
 * The message pipeline of one node, assembled: what channels hand messages to ({@link #inbound()}), and the
 * verticle that runs the turns ({@link #verticle()}). The stages are listed in {@link TurnPipeline}.
 */
public final class Pipeline {

  /**
   * What a turn needs around the skill itself.
   *
   * @param config {@code skills.config.<name>.*}, per skill
   * @param inference what skills reach models through
   * @param moderation the safety step before routing
   */
  public record SkillServices(SkillRouter router, SkillRunner runner, Map<String, JsonObject> config,
      InferenceClient inference, Moderation moderation, HistoryLimits history) {}

  /**
   * Where the pipeline keeps things.
   *
   * @param pgConnectOptions for the connection that listens for work announced by other nodes
   */
  public record Stores(Pool pg, PgConnectOptions pgConnectOptions, InboundStore inbound, SessionStore sessions,
      OutboxStore outbox) {}

  private final GatewayInbound inbound;
  private final PipelineVerticle verticle;

  /**
   * @param node this node's stable id, the holder of its shard leases
   * @param delivery how replies of a channel's message reach the sender (decided at admission)
   * @param wakeDelivery told when committed replies are waiting for delivery
   */
  public Pipeline(Vertx vertx, String node, Stores stores, SkillServices skills, SenderQuotas quotas,
      DeliveryPolicy.Resolver delivery, Runnable wakeDelivery, Duration skillTimeout, GatewayMetrics metrics,
      Tracing tracing) {
    ShardOwnership ownership = new ShardOwnership(stores.pg(), node);
    Completions completions = new Completions(vertx);
    SessionStore sessions = stores.sessions();
    TurnStore turnStore = new TurnStore(stores.pg());
    GroupCommit<TurnOutcome, CommitResult> commits = new GroupCommit<>(vertx, "turns",
        new GroupCommit.Limits(128, 2, 10_000), turnStore::commitAll);

    TurnPipeline turns = new TurnPipeline(
        new OwnStage(ownership::token),
        new SessionStage(sessions::load),
        new QuotaStage(quotas::take, metrics),
        new ModerationStage(skills.moderation()),
        new RouteStage(skills.router()),
        new SkillStage(skills.runner(), skills.config(), skills.inference(), metrics),
        new HistoryStage(skills.history()),
        new CommitStage(commits::submit),
        new DeliverStage(completions, wakeDelivery, sessions::committed, sessions::evict, ownership::lost, metrics),
        tracing);

    WorkNotifications notifications = new WorkNotifications(vertx, stores.pg(), stores.pgConnectOptions());
    this.verticle = new PipelineVerticle(stores.inbound(), turns, ownership, sessions, completions, notifications,
        delivery, skillTimeout, new ConversationEraser(stores.pg(), sessions));
    metrics.lanesBusy(verticle::busyLanes);
    AdmitStage admit = new AdmitStage(vertx, stores.inbound(), delivery, ownership, completions, verticle::offer,
        notifications, metrics);
    this.inbound = new GatewayInbound(vertx, admit, quotas, stores.inbound(), stores.outbox(), completions,
        metrics, tracing);
  }

  /** Where channels hand in messages. */
  public InboundGateway inbound() {
    return inbound;
  }

  /**
   * Erases a conversation ({@code channel:id}) everywhere: messages, replies, session, on every node. Fails with a
   * 409 {@link dev.switchboard.channels.ApiError} while one of its messages is being handled.
   */
  public Future<JsonObject> erase(String conversation) {
    return verticle.erase(conversation);
  }

  /** Runs the turns; deploy it once, before channels take traffic. */
  public Deployable verticle() {
    return verticle;
  }
}
