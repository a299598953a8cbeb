package dev.switchboard.app.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Any bytes as switchboard.yml: a configuration, or every problem listed; never another exception. */
class ConfigFileFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void load(byte[] yaml) throws Exception {
    Path file = Files.createTempFile("switchboard-fuzz", ".yml");
    try {
      Files.write(file, yaml);
      ConfigLoader.load(Optional.of(file), Map.of());
    } catch (ConfigException refused) {
      // printed at start-up, one line per problem
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
