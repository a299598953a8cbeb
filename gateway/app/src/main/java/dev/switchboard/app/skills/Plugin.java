package dev.switchboard.app.skills;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one source gave the gateway: a built-in skill, a plugin JAR or a SKILL.md folder, with its skills and
 * whatever must be closed when it goes (a JAR's class loader and private copy).
 *
 * <p>A turn holds the plugin while its skill runs ({@link #retain()} / {@link #release()}). When a newer
 * version replaces it or its file is deleted, the plugin is retired: turns in flight finish on it, and it is
 * closed when the last one releases it. A retired plugin cannot be retained again; the router then picks from
 * the newer skill set.
 */
public final class Plugin {
  private static final Logger LOG = LoggerFactory.getLogger(Plugin.class);
  private static final int CLOSED = -1;

  /** Where a plugin came from. */
  public enum Kind {
    BUILT_IN("built-in"), JAR("jar"), SKILL_MD("skill-md");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name shown by {@code /admin/skills}. */
    public String label() {
      return label;
    }
  }

  private final Kind kind;
  private final String path;
  private final ClassLoader classLoader;
  private final AutoCloseable resources;
  private final List<LoadedSkill> skills = new ArrayList<>();
  private final AtomicInteger inUse = new AtomicInteger();
  private volatile boolean retired;

  /**
   * @param path the JAR or SKILL.md file as found in the skills folder; {@code null} for built-ins
   * @param classLoader the loader the skills' code comes from, set as the thread's context loader while they run
   * @param resources closed once the plugin is retired and no turn uses it; may be {@code null}
   */
  Plugin(Kind kind, String path, ClassLoader classLoader, AutoCloseable resources) {
    this.kind = kind;
    this.path = path;
    this.classLoader = classLoader;
    this.resources = resources;
  }

  void add(LoadedSkill skill) {
    skills.add(skill);
  }

  public Kind kind() {
    return kind;
  }

  /** The file it was loaded from, {@code null} for built-ins. */
  public String path() {
    return path;
  }

  public ClassLoader classLoader() {
    return classLoader;
  }

  public List<LoadedSkill> skills() {
    return List.copyOf(skills);
  }

  /** Marks a turn as using this plugin; {@code false} when it is already closed (route again). */
  public boolean retain() {
    while (true) {
      int n = inUse.get();
      if (n == CLOSED || retired) {
        return false;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** The turn is done with it. */
  public void release() {
    if (inUse.decrementAndGet() == 0 && retired) {
      closeIfUnused();
    }
  }

  /** No new turn may use it; it is closed as soon as none does. */
  void retire() {
    retired = true;
    closeIfUnused();
  }

  private void closeIfUnused() {
    if (!inUse.compareAndSet(0, CLOSED)) {
      return;
    }
    if (resources != null) {
      try {
        resources.close();
        LOG.debug("closed {}", path);
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", path, e.toString());
      }
    }
  }
}
