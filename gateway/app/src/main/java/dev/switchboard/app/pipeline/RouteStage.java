package dev.switchboard.app.pipeline;

import dev.switchboard.app.routing.SkillRouter;
import io.vertx.core.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Route: picks the skill and holds its plugin for the turn. A plugin retired since the skill set was read means
 * a newer set is published: route again on it.
 */
final class RouteStage {
  private static final int ATTEMPTS = 3;

  private final SkillRouter router;

  RouteStage(SkillRouter router) {
    this.router = router;
  }

  Future<RoutedTurn> apply(LoadedTurn turn) {
    return routeAndHold(turn, ATTEMPTS);
  }

  private Future<RoutedTurn> routeAndHold(LoadedTurn turn, int attempts) {
    return router.route(turn.envelope(), turn.session()).compose(decision -> {
      if (decision.skill().plugin().retain()) {
        return Future.succeededFuture(new RoutedTurn(turn, decision));
      }
      if (attempts <= 1) {
        return Future.failedFuture(new RejectedExecutionException("the skill set is changing; trying again"));
      }
      return routeAndHold(turn, attempts - 1);
    });
  }
}
