package dev.switchboard.app.skills;

import dev.switchboard.spi.Skill;
import dev.switchboard.spi.SkillDescriptor;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Loads a plugin JAR: its skills are the {@code META-INF/services/dev.switchboard.spi.Skill} providers, each
 * JAR in its own class loader whose parent shows only the plugin contract ({@link SpiOnlyClassLoader}).
 *
 * <p>The JAR is first copied to a private folder and loaded from the copy: overwriting the original in place
 * (as {@code cp} does) would otherwise corrupt the classes the old version has not loaded yet while its last
 * messages finish. The copy is deleted when the plugin is closed.
 */
final class JarPluginLoader {
  static final String SERVICE_FILE = "META-INF/services/" + Skill.class.getName();

  private final Path copies;
  private final ClassLoader spiOnly;
  private final Supplier<SkillHealth> health;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param copies private folder for the loaded copies; emptied here, so it must belong to the gateway
   * @param gateway the gateway's class loader, which the plugin contract is shared from
   */
  JarPluginLoader(Path copies, ClassLoader gateway, Supplier<SkillHealth> health) throws IOException {
    this.copies = copies;
    this.spiOnly = new SpiOnlyClassLoader(gateway);
    this.health = health;
    Files.createDirectories(copies);
    try (var old = Files.list(copies)) {
      for (Path p : old.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Loads the JAR at {@code jar} (shown as {@code shownPath}); throws with the reason when it cannot. */
  Plugin load(Path jar, String shownPath) throws PluginLoadException {
    Path copy = copies.resolve(sequence.incrementAndGet() + "-" + jar.getFileName());
    try {
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PluginLoadException("cannot read the file: " + e.getMessage());
    }
    URLClassLoader loader = null;
    try {
      String jarVersion = checkJar(copy);
      loader = new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {copy.toUri().toURL()}, spiOnly);
      URLClassLoader opened = loader;
      Plugin plugin = new Plugin(Plugin.Kind.JAR, shownPath, loader, () -> {
        try {
          opened.close();
        } finally {
          Files.deleteIfExists(copy);
        }
      });
      for (Skill skill : instantiate(loader)) {
        SkillDescriptor descriptor = withVersion(describe(skill), jarVersion);
        plugin.add(new LoadedSkill(skill, descriptor, plugin, health.get()));
      }
      return plugin;
    } catch (PluginLoadException e) {
      closeQuietly(loader, copy);
      throw e;
    } catch (Throwable e) { // a plugin may throw anything, including Errors such as NoClassDefFoundError
      closeQuietly(loader, copy);
      throw new PluginLoadException("failed to load: " + describe(e));
    }
  }

  /**
   * Checks for a readable JAR, its manifest (if any) well-formed, with a service file; answers the manifest's
   * {@code Implementation-Version}, or {@code null}.
   */
  private static String checkJar(Path copy) throws PluginLoadException {
    try (JarFile file = new JarFile(copy.toFile())) {
      Manifest manifest = file.getManifest();
      if (file.getEntry(SERVICE_FILE) == null) {
        throw new PluginLoadException("declares no skill: " + SERVICE_FILE + " is missing");
      }
      return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    } catch (IOException | SecurityException e) {
      throw new PluginLoadException("bad JAR or manifest: " + e.getMessage());
    }
  }

  private static List<Skill> instantiate(ClassLoader loader) throws PluginLoadException {
    List<Skill> skills = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<Skill> provider : ServiceLoader.load(Skill.class, loader).stream().toList()) {
        String type = provider.type().getName();
        try {
          skills.add(provider.get());
        } catch (ServiceConfigurationError e) {
          throw new PluginLoadException(type + " could not be constructed: " + describe(
              e.getCause() == null ? e : e.getCause()));
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new PluginLoadException(SERVICE_FILE + ": " + e.getMessage());
    }
    if (skills.isEmpty()) {
      throw new PluginLoadException("declares no skill: " + SERVICE_FILE + " is empty");
    }
    return skills;
  }

  private static SkillDescriptor describe(Skill skill) throws PluginLoadException {
    try {
      SkillDescriptor descriptor = skill.descriptor();
      if (descriptor == null) {
        throw new PluginLoadException(skill.getClass().getName() + ".descriptor() returned null");
      }
      return descriptor;
    } catch (PluginLoadException e) {
      throw e;
    } catch (Throwable e) {
      throw new PluginLoadException(skill.getClass().getName() + ".descriptor() failed: " + describe(e));
    }
  }

  /** A descriptor that leaves the version unset takes the JAR's {@code Implementation-Version}. */
  private static SkillDescriptor withVersion(SkillDescriptor d, String jarVersion) {
    if (jarVersion == null || jarVersion.isBlank() || !"0".equals(d.version())) {
      return d;
    }
    return new SkillDescriptor(d.name(), d.description(), jarVersion.strip(), d.commands(), d.keywords(),
        d.patterns(), d.examples());
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static void closeQuietly(URLClassLoader loader, Path copy) {
    try {
      if (loader != null) {
        loader.close();
      }
      Files.deleteIfExists(copy);
    } catch (IOException ignored) {
      // the copy is removed at the next start
    }
  }
}
