package dev.switchboard.app.skills;

import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillDescriptor;

/**
 * A skill the gateway has loaded: the instance, its descriptor (read once, at load), the plugin it came from
 * and its health. The same object lives as long as that version of the skill, so counts and quarantine follow it.
 */
public final class LoadedSkill {
  private final Skill skill;
  private final SkillDescriptor descriptor;
  private final Plugin plugin;
  private final SkillHealth health;

  LoadedSkill(Skill skill, SkillDescriptor descriptor, Plugin plugin, SkillHealth health) {
    this.skill = skill;
    this.descriptor = descriptor;
    this.plugin = plugin;
    this.health = health;
  }

  public Skill skill() {
    return skill;
  }

  public SkillDescriptor descriptor() {
    return descriptor;
  }

  public String name() {
    return descriptor.name();
  }

  public Plugin plugin() {
    return plugin;
  }

  public SkillHealth health() {
    return health;
  }
}
