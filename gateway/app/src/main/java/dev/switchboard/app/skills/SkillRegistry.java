package dev.switchboard.app.skills;

import dev.switchboard.spi.SkillDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One immutable set of active skills, by name and by command, and what was left out and why. The gateway
 * swaps in a new set whenever the skills folder changes; a turn routes on the set it read.
 */
public final class SkillRegistry {
  /** Something that could not be loaded or activated, and why; {@code name} is {@code null} if never read. */
  public record Rejected(String name, Plugin.Kind kind, String path, String reason) {}

  private final Map<String, LoadedSkill> byName;
  private final Map<String, LoadedSkill> byCommand;
  private final Set<Plugin> active;
  private final List<Rejected> rejected;
  private final List<SkillDescriptor> catalog;

  private SkillRegistry(Map<String, LoadedSkill> byName, Map<String, LoadedSkill> byCommand, Set<Plugin> active,
      List<Rejected> rejected) {
    this.byName = byName;
    this.byCommand = byCommand;
    this.active = active;
    this.rejected = List.copyOf(rejected);
    this.catalog = byName.values().stream().map(LoadedSkill::descriptor).toList();
  }

  /**
   * Activates plugins in the given order. A plugin whose skill name or command an earlier plugin already has
   * is left out as a whole and reported, so a clash never changes what already works: built-ins come first,
   * then plugins that were active before, then new ones by path.
   */
  static SkillRegistry compose(List<Plugin> plugins, List<Rejected> loadFailures) {
    Map<String, LoadedSkill> byName = new TreeMap<>();
    Map<String, LoadedSkill> byCommand = new LinkedHashMap<>();
    Set<Plugin> active = new HashSet<>();
    List<Rejected> rejected = new ArrayList<>(loadFailures);
    for (Plugin plugin : plugins) {
      String clash = clash(plugin, byName, byCommand);
      if (clash != null) {
        rejected.add(new Rejected(plugin.skills().get(0).name(), plugin.kind(), plugin.path(), clash));
        continue;
      }
      for (LoadedSkill skill : plugin.skills()) {
        byName.put(skill.name(), skill);
        skill.descriptor().commands().forEach(c -> byCommand.put(c, skill));
      }
      active.add(plugin);
    }
    return new SkillRegistry(byName, byCommand, active, rejected);
  }

  /**
   * A fixed set of built-in skills, for embedding and tests: each is checked like a plugin, with the default
   * quarantine policy.
   */
  public static SkillRegistry of(List<dev.switchboard.spi.Skill> skills) {
    List<Plugin> plugins = new ArrayList<>();
    for (dev.switchboard.spi.Skill skill : skills) {
      Plugin plugin = new Plugin(Plugin.Kind.BUILT_IN, null, skill.getClass().getClassLoader(), null);
      plugin.add(new LoadedSkill(skill, skill.descriptor(), plugin, new SkillHealth(
          new SkillHealth.Policy(5, java.time.Duration.ofMinutes(1)), java.time.Clock.systemUTC())));
      plugins.add(plugin);
    }
    return compose(plugins, List.of());
  }

  /** Why the plugin's skills cannot join the set, or {@code null} if they can. */
  private static String clash(Plugin plugin, Map<String, LoadedSkill> byName, Map<String, LoadedSkill> byCommand) {
    Set<String> names = new HashSet<>();
    Set<String> commands = new HashSet<>();
    for (LoadedSkill skill : plugin.skills()) {
      String name = skill.name();
      if (byName.containsKey(name) || !names.add(name)) {
        LoadedSkill owner = byName.get(name);
        return "a skill named " + name + " already exists" + (owner == null ? " in this plugin" : from(owner));
      }
      for (String command : skill.descriptor().commands()) {
        if (byCommand.containsKey(command) || !commands.add(command)) {
          LoadedSkill owner = byCommand.get(command);
          return "command /" + command + " already belongs to "
              + (owner == null ? "another skill of this plugin" : owner.name() + from(owner));
        }
      }
    }
    return null;
  }

  private static String from(LoadedSkill owner) {
    Plugin p = owner.plugin();
    return p.path() == null ? " (" + p.kind().label() + ")" : " (" + p.path() + ")";
  }

  public LoadedSkill byName(String name) {
    return name == null ? null : byName.get(name);
  }

  public LoadedSkill byCommand(String command) {
    return byCommand.get(command);
  }

  /** Every active skill, sorted by name. */
  public List<LoadedSkill> skills() {
    return List.copyOf(byName.values());
  }

  /** Every active skill's descriptor, sorted by name. */
  public List<SkillDescriptor> catalog() {
    return catalog;
  }

  public List<Rejected> rejected() {
    return rejected;
  }

  /** {@code true} when the plugin's skills are in this set. */
  boolean isActive(Plugin plugin) {
    return active.contains(plugin);
  }
}
