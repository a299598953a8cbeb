package dev.switchboard.app.skills;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Any text as a SKILL.md: a skill, or a refusal saying why; never another exception. */
class SkillMarkdownFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] file) {
    try {
      SkillMarkdown.parse(new String(file, StandardCharsets.UTF_8), "fuzzed");
    } catch (PluginLoadException refused) {
      // the skills list shows this reason
    }
  }
}
