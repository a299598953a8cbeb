package dev.switchboard.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a skill plugin JAR the way an author's build would: compiles Java sources against the plugin contract
 * and packs the classes with a manifest and a {@code META-INF/services/dev.switchboard.spi.Skill} file.
 */
final class PluginJar {
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> services = new ArrayList<>();
  private boolean manifest = true;
  private String rawManifest;
  private boolean serviceFile = true;

  /** Adds a class: {@code name} is fully qualified, {@code source} its compilation unit. */
  PluginJar source(String name, String source) {
    sources.put(name, source);
    return this;
  }

  /** Adds a class and declares it as a skill. */
  PluginJar skill(String name, String source) {
    services.add(name);
    return source(name, source);
  }

  /** Writes {@code text} as META-INF/MANIFEST.MF, as is (to make a broken one). */
  PluginJar rawManifest(String text) {
    manifest = false;
    rawManifest = text;
    return this;
  }

  PluginJar withoutServiceFile() {
    serviceFile = false;
    return this;
  }

  /** Compiles and writes the JAR to {@code jar} (replacing it), building in {@code work}. */
  Path writeTo(Path jar, Path work) throws IOException {
    Path src = Files.createTempDirectory(work, "src");
    Path classes = Files.createTempDirectory(work, "classes");
    List<String> files = new ArrayList<>();
    for (var entry : sources.entrySet()) {
      Path file = src.resolve(entry.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, entry.getValue());
      files.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn",
        "-classpath", System.getProperty("java.class.path"), "-d", classes.toString()));
    args.addAll(files);
    if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the plugin sources do not compile");
    }
    Path partial = jar.resolveSibling("." + jar.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(partial);
        JarOutputStream jarOut = manifest ? new JarOutputStream(out, manifest()) : new JarOutputStream(out)) {
      if (rawManifest != null) {
        jarOut.putNextEntry(new JarEntry("META-INF/MANIFEST.MF"));
        jarOut.write(rawManifest.getBytes(StandardCharsets.UTF_8));
      }
      if (serviceFile) {
        jarOut.putNextEntry(new JarEntry("META-INF/services/dev.switchboard.spi.Skill"));
        jarOut.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          jarOut.write(Files.readAllBytes(file));
        }
      }
    }
    // Written whole, then copied over the target in place, as `cp` does (the gateway must cope with that).
    Files.write(jar, Files.readAllBytes(partial));
    Files.delete(partial);
    return jar;
  }

  private static Manifest manifest() {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    return m;
  }
}
