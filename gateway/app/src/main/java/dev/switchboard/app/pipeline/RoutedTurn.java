package dev.switchboard.app.pipeline;

import dev.switchboard.app.routing.SkillRouter;

/** A turn with its routing decision; the chosen skill's plugin is held until the skill has run. */
record RoutedTurn(LoadedTurn turn, SkillRouter.Decision decision) {}
