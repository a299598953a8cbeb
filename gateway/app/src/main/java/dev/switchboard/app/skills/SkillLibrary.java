package dev.switchboard.app.skills;

import dev.switchboard.spi.Skill;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's skills as they are now: the built-ins from the classpath plus what the skills folder holds,
 * rescanned every {@link #SCAN_INTERVAL}. Each change is published as a new {@link SkillRegistry}; plugins that
 * left it are retired (closed once their last turn finishes).
 */
public final class SkillLibrary implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SkillLibrary.class);
  /** How often the folder is looked at; a dropped file is live within two intervals plus its load time. */
  public static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);

  private final List<Plugin> builtIns;
  private final List<SkillRegistry.Rejected> builtInFailures;
  private final SkillFolder folder;
  private final Path dir;
  private final ScheduledExecutorService scanner;
  private volatile SkillRegistry current;

  private SkillLibrary(List<Plugin> builtIns, List<SkillRegistry.Rejected> builtInFailures, SkillFolder folder,
      Path dir) {
    this.builtIns = builtIns;
    this.builtInFailures = builtInFailures;
    this.folder = folder;
    this.dir = dir;
    this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "skills-folder");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the built-ins and what {@code dir} holds now, then watches {@code dir}. Blocks: call it off the
   * event loop.
   *
   * @param copies a private folder for copies of loaded JARs (emptied)
   */
  public static SkillLibrary start(ClassLoader gateway, Path dir, Path copies, SkillHealth.Policy policy)
      throws IOException {
    Supplier<SkillHealth> health = () -> new SkillHealth(policy, Clock.systemUTC());
    try {
      java.nio.file.Files.createDirectories(dir); // so there is a folder to drop plugins into
    } catch (IOException e) {
      LOG.warn("cannot create the skills folder {}: {}", dir, e.toString());
    }
    List<Plugin> builtIns = new ArrayList<>();
    List<SkillRegistry.Rejected> failures = new ArrayList<>();
    loadBuiltIns(gateway, health, builtIns, failures);
    SkillFolder folder = new SkillFolder(dir, new JarPluginLoader(copies, gateway, health), health);
    SkillLibrary library = new SkillLibrary(builtIns, failures, folder, dir);
    library.refresh();
    long every = SCAN_INTERVAL.toMillis();
    library.scanner.scheduleWithFixedDelay(library::refreshSafely, every, every, TimeUnit.MILLISECONDS);
    return library;
  }

  /** The skills to route on now. */
  public SkillRegistry current() {
    return current;
  }

  /** The watched folder. */
  public Path dir() {
    return dir;
  }

  /** Stops watching and closes every plugin once its turns are done. */
  @Override
  public void close() {
    scanner.shutdownNow();
    try {
      scanner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    folder.close();
    folder.plugins().forEach(Plugin::retire);
  }

  private void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.error("scanning {} failed", dir, e);
    }
  }

  /** Scans the folder; when something changed, publishes the new set and retires what left it. */
  private void refresh() {
    SkillFolder.Changes changes = folder.scan();
    if (current != null && !changes.any()) {
      return;
    }
    SkillRegistry previous = current;
    List<Plugin> order = new ArrayList<>(builtIns);
    List<Plugin> loaded = folder.plugins();
    // Plugins that were active keep their names and commands; new ones come after them, by path.
    loaded.stream().filter(p -> previous != null && previous.isActive(p)).forEach(order::add);
    loaded.stream().filter(p -> previous == null || !previous.isActive(p)).forEach(order::add);
    List<SkillRegistry.Rejected> failures = new ArrayList<>(builtInFailures);
    failures.addAll(folder.failures());
    SkillRegistry next = SkillRegistry.compose(order, failures);
    current = next;
    next.rejected().stream()
        .filter(r -> r.name() != null && (previous == null || !previous.rejected().contains(r)))
        .forEach(r -> LOG.warn("skill {} from {} not activated: {}", r.name(), r.path(), r.reason()));
    changes.dropped().forEach(Plugin::retire);
  }

  private static void loadBuiltIns(ClassLoader loader, Supplier<SkillHealth> health, List<Plugin> plugins,
      List<SkillRegistry.Rejected> failures) {
    List<ServiceLoader.Provider<Skill>> providers = new ArrayList<>(
        ServiceLoader.load(Skill.class, loader).stream().toList());
    providers.sort(Comparator.comparing(p -> p.type().getName()));
    for (ServiceLoader.Provider<Skill> provider : providers) {
      Plugin plugin = new Plugin(Plugin.Kind.BUILT_IN, null, loader, null);
      try {
        Skill skill = provider.get();
        plugin.add(new LoadedSkill(skill, skill.descriptor(), plugin, health.get()));
        plugins.add(plugin);
      } catch (Throwable e) {
        String reason = provider.type().getName() + " failed to load: " + JarPluginLoader.describe(e);
        LOG.error("built-in skill not loaded: {}", reason);
        failures.add(new SkillRegistry.Rejected(null, Plugin.Kind.BUILT_IN, null, reason));
      }
    }
  }
}
