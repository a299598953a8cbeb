package dev.switchboard.app.skills;

import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skills the gateway knows, by name and by command. Built-in skills come from the classpath through
 * {@link ServiceLoader}. A skill whose descriptor fails, or whose name or command another skill already has,
 * is left out and reported; the others keep working.
 */
public final class SkillRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SkillRegistry.class);

  /** A skill and where it came from. */
  public record LoadedSkill(Skill skill, SkillDescriptor descriptor, String source) {}

  /** A skill that could not be loaded, and why. */
  public record Rejected(String source, String reason) {}

  private final Map<String, LoadedSkill> byName;
  private final Map<String, LoadedSkill> byCommand;
  private final List<Rejected> rejected;
  private final List<SkillDescriptor> catalog;

  private SkillRegistry(Map<String, LoadedSkill> byName, Map<String, LoadedSkill> byCommand,
      List<Rejected> rejected) {
    this.byName = byName;
    this.byCommand = byCommand;
    this.rejected = List.copyOf(rejected);
    this.catalog = byName.values().stream().map(LoadedSkill::descriptor).toList();
  }

  /** Loads the built-in skills from the classpath. */
  public static SkillRegistry loadBuiltIns(ClassLoader loader) {
    List<Skill> skills = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    ServiceLoader.load(Skill.class, loader).stream().forEach(provider -> {
      try {
        skills.add(provider.get());
      } catch (Throwable e) {
        rejected.add(new Rejected(provider.type().getName(), "constructor failed: " + e));
      }
    });
    return of(skills, "built-in", rejected);
  }

  /** A registry of the given skills, checked for clashes; {@code source} names where they came from. */
  public static SkillRegistry of(List<Skill> skills, String source, List<Rejected> alreadyRejected) {
    Map<String, LoadedSkill> byName = new TreeMap<>();
    Map<String, LoadedSkill> byCommand = new LinkedHashMap<>();
    List<Rejected> rejected = new ArrayList<>(alreadyRejected);
    List<Skill> sorted = new ArrayList<>(skills);
    sorted.sort(Comparator.comparing(s -> s.getClass().getName()));
    for (Skill skill : sorted) {
      SkillDescriptor descriptor;
      try {
        descriptor = skill.descriptor();
      } catch (Throwable e) {
        rejected.add(new Rejected(skill.getClass().getName(), "descriptor failed: " + e));
        continue;
      }
      String who = descriptor.name() + " (" + skill.getClass().getName() + ")";
      if (byName.containsKey(descriptor.name())) {
        rejected.add(new Rejected(who, "a skill named " + descriptor.name() + " exists"));
        continue;
      }
      String clash = descriptor.commands().stream().filter(byCommand::containsKey).findFirst().orElse(null);
      if (clash != null) {
        rejected.add(new Rejected(who,
            "command /" + clash + " belongs to " + byCommand.get(clash).descriptor().name()));
        continue;
      }
      LoadedSkill loaded = new LoadedSkill(skill, descriptor, source);
      byName.put(descriptor.name(), loaded);
      descriptor.commands().forEach(c -> byCommand.put(c, loaded));
    }
    rejected.forEach(r -> LOG.error("skill {} not loaded: {}", r.source(), r.reason()));
    return new SkillRegistry(byName, byCommand, rejected);
  }

  public LoadedSkill byName(String name) {
    return name == null ? null : byName.get(name);
  }

  public LoadedSkill byCommand(String command) {
    return byCommand.get(command);
  }

  /** Every loaded skill, sorted by name. */
  public List<LoadedSkill> skills() {
    return List.copyOf(byName.values());
  }

  /** Every loaded skill's descriptor, sorted by name. */
  public List<SkillDescriptor> catalog() {
    return catalog;
  }

  public List<Rejected> rejected() {
    return rejected;
  }
}
