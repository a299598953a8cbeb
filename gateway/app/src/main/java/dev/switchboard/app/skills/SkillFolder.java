package dev.switchboard.app.skills;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched skills folder: {@code *.jar} plugins and {@code <folder>/SKILL.md} skills. Each {@link #scan()}
 * compares the files with what is loaded and loads what is new or changed. A file is loaded once it has stayed
 * the same for two scans in a row, so a JAR still being copied is not read half-written; names starting with a
 * dot are ignored (copy to {@code .x.jar} and rename for an atomic drop). A file that fails is reported once
 * and tried again only when it changes.
 */
final class SkillFolder {
  private static final Logger LOG = LoggerFactory.getLogger(SkillFolder.class);
  static final String SKILL_MD = "SKILL.md";
  /** Longest a plugin's class initialisation and constructors may take. */
  static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);

  /** What was loaded from one file, or why it could not be. */
  private record Candidate(Fingerprint fingerprint, Plugin plugin, SkillRegistry.Rejected failure) {}

  /** Enough to tell that a file changed. */
  private record Fingerprint(long size, Instant modified, Object fileKey) {}

  /** What a scan changed: whether anything did, and the plugins gone (replaced or deleted). */
  record Changes(boolean any, List<Plugin> dropped) {}

  private final Path dir;
  private final JarPluginLoader jars;
  private final Supplier<SkillHealth> health;
  private final ExecutorService loading;
  private final Map<String, Candidate> candidates = new TreeMap<>();
  private final Map<String, Fingerprint> seenLastScan = new HashMap<>();
  private boolean firstScan = true;
  private boolean warnedNotAFolder;

  SkillFolder(Path dir, JarPluginLoader jars, Supplier<SkillHealth> health) {
    this.dir = dir;
    this.jars = jars;
    this.health = health;
    this.loading = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "skill-loading");
      t.setDaemon(true);
      return t;
    });
  }

  /** Looks at the folder and loads what changed. Not thread-safe: one scanning thread. */
  Changes scan() {
    Map<String, Path> files = list();
    boolean any = false;
    List<Plugin> dropped = new ArrayList<>();
    for (String key : List.copyOf(candidates.keySet())) {
      if (!files.containsKey(key)) {
        Candidate gone = candidates.remove(key);
        if (gone.plugin() != null) {
          dropped.add(gone.plugin());
        }
        LOG.info("{} was removed", shown(key));
        any = true;
      }
    }
    Map<String, Fingerprint> seenNow = new HashMap<>();
    for (Map.Entry<String, Path> file : files.entrySet()) {
      String key = file.getKey();
      Fingerprint now = fingerprint(file.getValue());
      if (now == null) {
        continue;
      }
      seenNow.put(key, now);
      Candidate known = candidates.get(key);
      if (known != null && known.fingerprint().equals(now)) {
        continue;
      }
      // Not yet stable (maybe still being copied): wait for the next scan. Files there at start-up load at once.
      if (!firstScan && !now.equals(seenLastScan.get(key))) {
        continue;
      }
      Candidate loaded = load(key, file.getValue(), now);
      if (loaded.plugin() == null && known != null && known.plugin() != null) {
        // A broken upgrade does not take away the version that works: it stays, and the failure is shown.
        loaded = new Candidate(now, known.plugin(), loaded.failure());
      } else if (known != null && known.plugin() != null) {
        dropped.add(known.plugin());
      }
      candidates.put(key, loaded);
      any = true;
    }
    seenLastScan.clear();
    seenLastScan.putAll(seenNow);
    firstScan = false;
    return new Changes(any, dropped);
  }

  /** Every plugin loaded from the folder, by path. */
  List<Plugin> plugins() {
    return candidates.values().stream().map(Candidate::plugin).filter(Objects::nonNull).toList();
  }

  /** Every file that failed to load, with the reason. */
  List<SkillRegistry.Rejected> failures() {
    return candidates.values().stream().map(Candidate::failure).filter(Objects::nonNull).toList();
  }

  /** Stops loading; the caller retires the plugins. */
  void close() {
    loading.shutdownNow();
  }

  private Candidate load(String key, Path file, Fingerprint fingerprint) {
    boolean markdown = key.endsWith("/" + SKILL_MD);
    Plugin.Kind kind = markdown ? Plugin.Kind.SKILL_MD : Plugin.Kind.JAR;
    String shown = shown(key);
    CompletableFuture<Plugin> task = CompletableFuture.supplyAsync(() -> {
      try {
        return markdown ? loadMarkdown(file, shown, key) : jars.load(file, shown);
      } catch (PluginLoadException e) {
        throw new CompletionException(e);
      }
    }, loading);
    try {
      Plugin plugin = task.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (LoadedSkill skill : plugin.skills()) {
        LOG.info("loaded skill {} {} from {}", skill.name(), skill.descriptor().version(), shown);
      }
      return new Candidate(fingerprint, plugin, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
          : e.getCause();
      String reason = cause instanceof PluginLoadException p ? p.getMessage()
          : "failed to load: " + JarPluginLoader.describe(cause);
      LOG.warn("{} not loaded: {}", shown, reason);
      return new Candidate(fingerprint, null, new SkillRegistry.Rejected(null, kind, shown, reason));
    } catch (TimeoutException e) {
      task.thenAccept(Plugin::retire); // if it ever finishes, its class loader and copy are released
      String reason = "did not load within " + LOAD_TIMEOUT.toSeconds() + " s (a constructor or static "
          + "initialiser blocks)";
      LOG.warn("{} not loaded: {}", shown, reason);
      return new Candidate(fingerprint, null, new SkillRegistry.Rejected(null, kind, shown, reason));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Candidate(fingerprint, null, new SkillRegistry.Rejected(null, kind, shown, "interrupted"));
    }
  }

  private Plugin loadMarkdown(Path file, String shown, String key) throws PluginLoadException {
    String text = readSmallText(file);
    String folderName = key.substring(0, key.indexOf('/'));
    SkillMarkdown markdown = SkillMarkdown.parse(text, folderName);
    if (!markdown.ignoredFields().isEmpty()) {
      LOG.warn("{}: ignoring front-matter fields {}", shown, markdown.ignoredFields());
    }
    Plugin plugin = new Plugin(Plugin.Kind.SKILL_MD, shown, MarkdownSkill.class.getClassLoader(), null);
    plugin.add(new LoadedSkill(new MarkdownSkill(markdown), markdown.descriptor(), plugin, health.get()));
    return plugin;
  }

  private static String readSmallText(Path file) throws PluginLoadException {
    try {
      if (Files.size(file) > SkillMarkdown.MAX_BYTES) {
        throw new PluginLoadException("SKILL.md is larger than " + SkillMarkdown.MAX_BYTES / 1024 + " KiB");
      }
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new PluginLoadException("SKILL.md is not UTF-8 text");
    } catch (IOException e) {
      throw new PluginLoadException("cannot read SKILL.md: " + e.getMessage());
    }
  }

  /** The candidate files: {@code name.jar} and {@code folder/SKILL.md}, keyed by their path in the folder. */
  private Map<String, Path> list() {
    Map<String, Path> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir) && !warnedNotAFolder) {
        LOG.warn("skills.dir {} is not a folder; no plugins are loaded", dir);
        warnedNotAFolder = true;
      }
      return files;
    }
    try (var entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (name.endsWith(".jar") && Files.isRegularFile(entry)) {
          files.put(name, entry);
        } else if (Files.isDirectory(entry) && Files.isRegularFile(entry.resolve(SKILL_MD))) {
          files.put(name + "/" + SKILL_MD, entry.resolve(SKILL_MD));
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", dir, e.toString());
    }
    return files;
  }

  private static Fingerprint fingerprint(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Fingerprint(attributes.size(), attributes.lastModifiedTime().toInstant(), attributes.fileKey());
    } catch (IOException e) {
      return null; // gone between the listing and now
    }
  }

  private String shown(String key) {
    return dir.resolve(key).toString();
  }
}
