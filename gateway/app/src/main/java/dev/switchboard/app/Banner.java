package dev.switchboard.app;

import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.channels.ChannelAdapter;
import dev.switchboard.spi.SkillDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The one block printed at start-up: where to reach the gateway and what it runs. */
final class Banner {
  private Banner() {}

  static String render(Gateway gateway) {
    List<String> lines = new ArrayList<>();
    lines.add("Switchboard " + version() + " is ready on http://localhost:" + gateway.port());
    lines.add("  channels: " + gateway.channels().values().stream().map(ChannelAdapter::describe)
        .collect(Collectors.joining(", ")));
    lines.add("  storage:  " + gateway.storage().describe());
    lines.add("  admin:    " + gateway.adminTokenLine());
    SkillRegistry skills = gateway.skills().current();
    lines.add("  skills:   " + skills.catalog().stream().map(SkillDescriptor::name)
        .collect(Collectors.joining(", "))
        + (gateway.virtualThreads() ? " (on virtual threads)" : ""));
    lines.add("            plugins: drop a JAR or a SKILL.md folder into " + gateway.skills().dir());
    if (!skills.rejected().isEmpty()) {
      lines.add("            not loaded: " + skills.rejected().size() + " (see GET /admin/skills)");
    }
    lines.add("  models:   " + gateway.inferenceSummary());
    lines.add("  try:      curl -s localhost:" + gateway.port()
        + "/v1/messages -H 'Content-Type: application/json' -d '{\"sender\":{\"id\":\"me\"},\"text\":\"/help\"}'");
    return String.join(System.lineSeparator(), lines);
  }

  static String version() {
    String v = Banner.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
