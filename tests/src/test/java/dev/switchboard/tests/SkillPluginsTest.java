package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Skill plugins as an author uses them: JARs and SKILL.md folders dropped into the running gateway's skills
 * folder, replaced and deleted, broken ones reported, misbehaving ones contained.
 */
class SkillPluginsTest {
  /** Longest the gateway may take to notice a change in the folder (the contract says 5 s; noise allowed). */
  private static final Duration NOTICED = Duration.ofSeconds(8);

  private static GatewayProcess gateway;
  private static Api api;
  private static Path plugins;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayProcess.start("plugins", Map.of(), true, """
        skills:
          dir: ./plugins
          timeout: 4s
          quarantine:
            failures: 3
        """);
    api = new Api(gateway);
    plugins = Files.createDirectories(gateway.workDir().resolve("plugins"));
    work = Files.createDirectories(gateway.workDir().resolve("plugin-build"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aJarDroppedInIsUsedThenReplacedWhileItsLastMessageFinishesThenDeleted() throws Exception {
    Path jar = plugins.resolve("greeter.jar");
    greeter("1.0").writeTo(jar, work);
    JsonObject v1 = awaitSkill("greeter", s -> "1.0".equals(s.getString("version")));
    assertEquals("jar", v1.getString("source"));
    assertTrue(v1.getString("path").endsWith("greeter.jar"), v1.encode());
    assertEquals("active", v1.getString("state"));

    Api.Answer hello = api.send("gina", "/greet");
    assertEquals("Hello from greeter 1.0 (1)", hello.replyText());
    assertEquals("command", hello.json().getJsonObject("route").getString("reason"));
    Api.Answer keyword = api.send("gina", "well howdy");
    assertEquals("greeter", keyword.json().getJsonObject("route").getString("skill"));
    assertEquals("keyword", keyword.json().getJsonObject("route").getString("reason"));

    // A message that is still running on 1.0 when 2.0 replaces it (the file is overwritten in place)
    CompletableFuture<Api.Answer> slow = api.postAsync("/v1/messages", new JsonObject()
        .put("sender", new JsonObject().put("id", "hal")).put("text", "/greet slow").encode(), Map.of());
    Thread.sleep(300);
    greeter("2.0").writeTo(jar, work);
    awaitSkill("greeter", s -> "2.0".equals(s.getString("version")));
    // State lives in the session, so the new version carries on counting where the old one stopped
    assertEquals("Hello from greeter 2.0 (3)", api.send("gina", "/greet").replyText());
    assertEquals("slow hello from 1.0", slow.get().replyText());
    awaitCopies(1); // the old version's class loader was closed and its copy deleted

    // A broken upgrade is reported and does not take away the version that works
    Files.writeString(jar, "a truncated upload");
    assertTrue(reasonOf("greeter.jar").startsWith("bad JAR or manifest"), reasonOf("greeter.jar"));
    assertEquals("2.0", skill("greeter").getString("version"));
    assertEquals("Hello from greeter 2.0 (4)", api.send("gina", "/greet").replyText());

    Files.delete(jar);
    awaitGone("greeter");
    Api.Answer gone = api.send("gina", "/greet");
    assertEquals("fallback", gone.json().getJsonObject("route").getString("reason"));
    awaitCopies(0);
  }

  @Test
  void brokenJarsAreReportedWithTheReasonAndTheOthersKeepWorking() throws Exception {
    Files.writeString(plugins.resolve("not-a-jar.jar"), "this is not a zip file");
    healthy("nosvc", "1").withoutServiceFile().writeTo(plugins.resolve("no-service-file.jar"), work);
    healthy("badmf", "1").rawManifest("Manifest-Version: 1.0\nthis line has no colon\n\n")
        .writeTo(plugins.resolve("bad-manifest.jar"), work);
    new PluginJar().skill("com.example.broken.BrokenSkill", """
        package com.example.broken;
        import dev.switchboard.spi.*;
        public final class BrokenSkill implements Skill {
          public BrokenSkill() { throw new IllegalStateException("no API key configured"); }
          public SkillDescriptor descriptor() { return SkillDescriptor.builder("broken").build(); }
          public SkillResponse handle(Envelope e, SkillContext c) { return SkillResponse.none(); }
        }
        """).writeTo(plugins.resolve("throws-in-constructor.jar"), work);
    new PluginJar().skill("com.example.clash.ClashSkill", """
        package com.example.clash;
        import dev.switchboard.spi.*;
        public final class ClashSkill implements Skill {
          public SkillDescriptor descriptor() { return SkillDescriptor.builder("mytodo").commands("todo").build(); }
          public SkillResponse handle(Envelope e, SkillContext c) { return SkillResponse.reply("stolen"); }
        }
        """).writeTo(plugins.resolve("clash.jar"), work);
    new PluginJar().skill("com.example.snoop.SnoopSkill", """
        package com.example.snoop;
        import dev.switchboard.spi.*;
        import java.util.List;
        public final class SnoopSkill implements Skill {
          public SkillDescriptor descriptor() { return SkillDescriptor.builder("snoop").commands("snoop").build(); }
          public SkillResponse handle(Envelope e, SkillContext c) {
            List<String> seen = new java.util.ArrayList<>();
            for (String name : List.of("dev.switchboard.app.Gateway", "io.vertx.pgclient.PgBuilder",
                "org.slf4j.LoggerFactory", "dev.switchboard.skills.builtin.TodoSkill")) {
              for (ClassLoader loader : new ClassLoader[] {getClass().getClassLoader(),
                  Thread.currentThread().getContextClassLoader()}) {
                try {
                  Class.forName(name, false, loader);
                  seen.add(name);
                } catch (ClassNotFoundException hidden) {
                  // as it should be
                }
              }
            }
            c.state().put("visits", c.state().getInteger("visits", 0) + 1);
            return SkillResponse.reply("sees " + seen + ", visit " + c.state().getInteger("visits"));
          }
        }
        """).writeTo(plugins.resolve("snoop.jar"), work);

    assertEquals("bad JAR or manifest", reasonOf("not-a-jar.jar").replaceAll(":.*", ""));
    assertTrue(reasonOf("bad-manifest.jar").startsWith("bad JAR or manifest"), reasonOf("bad-manifest.jar"));
    assertEquals("declares no skill: META-INF/services/dev.switchboard.spi.Skill is missing",
        reasonOf("no-service-file.jar"));
    assertEquals("com.example.broken.BrokenSkill could not be constructed: "
        + "IllegalStateException: no API key configured", reasonOf("throws-in-constructor.jar"));
    assertEquals("command /todo already belongs to todo (built-in)", reasonOf("clash.jar"));

    awaitSkill("snoop", s -> true);
    assertEquals("sees [], visit 1", api.send("sam", "/snoop").replyText());
    assertEquals("sees [], visit 2", api.send("sam", "/snoop").replyText());
    assertEquals("Added \"milk\". You have 1 item.", api.send("sam", "/todo add milk").replyText());
    assertEquals(200, api.get("/health/ready").status());
  }

  @Test
  void skillMarkdownIsAddedChangedAndReportedWhenInvalid() throws Exception {
    Path hours = Files.createDirectories(plugins.resolve("hours")).resolve("SKILL.md");
    Files.writeString(hours, """
        ---
        name: hours
        description: Our opening hours
        version: 1
        commands: [hours]
        keywords: [opening hours]
        reply: We are open 9 to 5, Monday to Friday.
        ---
        Answer questions about the opening hours of the shop.
        """);
    JsonObject entry = awaitSkill("hours", s -> "1".equals(s.getString("version")));
    assertEquals("skill-md", entry.getString("source"));
    assertEquals("We are open 9 to 5, Monday to Friday.", api.send("olga", "/hours").replyText());
    Api.Answer byKeyword = api.send("olga", "What are your opening hours?");
    assertEquals("We are open 9 to 5, Monday to Friday.", byKeyword.replyText());
    assertEquals("keyword", byKeyword.json().getJsonObject("route").getString("reason"));
    assertTrue(api.send("olga", "/help").replyText().contains("/hours - Our opening hours"));

    Files.writeString(hours, """
        ---
        name: hours
        description: Our opening hours
        version: 2
        commands: [hours]
        ---
        # Opening hours

        From Monday we open at 8.
        Closed on Sundays.

        Anything else is for the staff.
        """);
    awaitSkill("hours", s -> "2".equals(s.getString("version")));
    assertEquals("From Monday we open at 8. Closed on Sundays.", api.send("olga", "/hours").replyText());

    Files.writeString(Files.createDirectories(plugins.resolve("broken-yaml")).resolve("SKILL.md"),
        "---\nname: [unclosed\n---\nbody\n");
    Files.writeString(Files.createDirectories(plugins.resolve("no-answer")).resolve("SKILL.md"),
        "---\nname: silent\ncommands: [silent]\n---\n");
    assertTrue(reasonOf("broken-yaml/SKILL.md").startsWith("the front matter is not valid YAML"),
        reasonOf("broken-yaml/SKILL.md"));
    assertEquals("nothing to answer: give a reply: field or a body", reasonOf("no-answer/SKILL.md"));
    assertEquals("From Monday we open at 8. Closed on Sundays.", api.send("olga", "/hours").replyText());
  }

  @Test
  void throwingSlowAndHangingSkillsCostOnlyTheirOwnMessages() throws Exception {
    new PluginJar()
        .skill("com.example.bad.Boom", misbehaving("Boom", "boom", "throw new IllegalStateException(\"kaput\");"))
        .skill("com.example.bad.Slow", misbehaving("Slow", "slow", "Thread.sleep(60_000);"))
        .skill("com.example.bad.Hang", misbehaving("Hang", "hang", """
            long until = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < until) {
              try { Thread.sleep(50); } catch (InterruptedException ignored) { /* never gives up */ }
            }
            """))
        .writeTo(plugins.resolve("misbehaving.jar"), work);
    awaitSkill("hang", s -> true);

    CompletableFuture<Api.Answer> slow = sendAsync("vic", "/slow");
    CompletableFuture<Api.Answer> hang = sendAsync("wes", "/hang");
    List<CompletableFuture<Api.Answer>> healthy = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      healthy.add(sendAsync("healthy-" + i, "/todo add item " + i));
    }
    for (int i = 0; i < 40; i++) {
      Api.Answer answer = healthy.get(i).get();
      assertEquals(200, answer.status(), answer.raw().body());
      assertEquals("Added \"item " + i + "\". You have 1 item.", answer.replyText());
    }
    for (CompletableFuture<Api.Answer> cut : List.of(slow, hang)) {
      Api.Answer answer = cut.get();
      assertEquals("failed", answer.json().getString("status"), answer.raw().body());
      assertEquals("Sorry, that took too long to answer. Please try again.", answer.replyText());
    }

    for (int i = 0; i < 3; i++) {
      Api.Answer boom = api.send("xena", "/boom");
      assertEquals("failed", boom.json().getString("status"));
      assertEquals("Sorry, something went wrong while handling that. Please try again.", boom.replyText());
    }
    JsonObject boom = skill("boom");
    assertEquals("quarantined", boom.getString("state"), boom.encode());
    assertEquals(3, boom.getJsonObject("counts").getInteger("failed"));
    assertEquals("skill boom failed: IllegalStateException", boom.getString("last_error"));
    assertEquals("Sorry, boom is paused after repeated failures. Please try again later.",
        api.send("xena", "/boom").replyText());
    assertEquals(1, skill("boom").getJsonObject("counts").getInteger("refused_in_quarantine"));
    assertEquals(1, skill("slow").getJsonObject("counts").getInteger("timed_out"));
    assertEquals(1, skill("hang").getJsonObject("counts").getInteger("timed_out"));
    assertEquals("active", skill("hang").getString("state"));
    assertEquals("Your list:\n1. item 7", api.send("healthy-7", "/todo list").replyText());
  }

  @Test
  void aSkillWhoseDynamicExamplesHangIsLeftOutOfSemanticRoutingAndTheOthersGetIn() throws Exception {
    new PluginJar().skill("com.example.stuck.StuckSkill", """
        package com.example.stuck;
        import dev.switchboard.spi.*;
        import io.vertx.core.json.JsonObject;
        import java.util.List;
        public final class StuckSkill implements Skill {
          public SkillDescriptor descriptor() { return SkillDescriptor.builder("stuck").commands("stuck").build(); }
          public List<String> dynamicExamples(JsonObject config) {
            while (true) {
              try { Thread.sleep(1000); } catch (InterruptedException ignored) { /* never gives up */ }
            }
          }
          public SkillResponse handle(Envelope e, SkillContext c) { return SkillResponse.reply("stuck here"); }
        }
        """).writeTo(plugins.resolve("stuck.jar"), work);
    new PluginJar().skill("com.example.weather.WeatherSkill", """
        package com.example.weather;
        import dev.switchboard.spi.*;
        public final class WeatherSkill implements Skill {
          public SkillDescriptor descriptor() {
            return SkillDescriptor.builder("weather").commands("weather")
                .examples("will it rain tomorrow", "what's the weather like", "do I need an umbrella").build();
          }
          public SkillResponse handle(Envelope e, SkillContext c) { return SkillResponse.reply("Sunny."); }
        }
        """).writeTo(plugins.resolve("weather.jar"), work);
    awaitSkill("weather", s -> true);
    awaitSkill("stuck", s -> true);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Api.Answer answer;
    do {
      Thread.sleep(250);
      answer = api.send("ulla", "is it going to rain later today?");
    } while (!"weather".equals(answer.json().getJsonObject("route").getString("skill"))
        && System.nanoTime() < deadline);
    assertEquals("semantic", answer.json().getJsonObject("route").getString("reason"), answer.raw().body());
    assertEquals("Sunny.", answer.replyText());
    assertEquals("stuck here", api.send("ulla", "/stuck").replyText());
  }

  static PluginJar greeter(String version) {
    return new PluginJar().skill("com.example.greeter.GreeterSkill", """
        package com.example.greeter;
        import dev.switchboard.spi.*;
        public final class GreeterSkill implements Skill {
          private static final SkillDescriptor DESCRIPTOR = SkillDescriptor.builder("greeter")
              .description("Says hello").version("%1$s").commands("greet").keywords("howdy").build();
          public SkillDescriptor descriptor() { return DESCRIPTOR; }
          public SkillResponse handle(Envelope e, SkillContext c) throws Exception {
            if (e.text().contains("slow")) {
              Thread.sleep(2500);
              return SkillResponse.reply("slow hello from %1$s");
            }
            int n = c.state().getInteger("count", 0) + 1;
            c.state().put("count", n);
            return SkillResponse.reply("Hello from greeter %1$s (" + n + ")");
          }
        }
        """.formatted(version));
  }

  private static PluginJar healthy(String name, String version) {
    String type = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Skill";
    return new PluginJar().skill("com.example." + name + "." + type, """
        package com.example.%1$s;
        import dev.switchboard.spi.*;
        public final class %2$s implements Skill {
          public SkillDescriptor descriptor() {
            return SkillDescriptor.builder("%1$s").version("%3$s").commands("%1$s").build();
          }
          public SkillResponse handle(Envelope e, SkillContext c) { return SkillResponse.reply("%1$s here"); }
        }
        """.formatted(name, type, version));
  }

  private static String misbehaving(String type, String name, String body) {
    return """
        package com.example.bad;
        import dev.switchboard.spi.*;
        public final class %1$s implements Skill {
          public SkillDescriptor descriptor() { return SkillDescriptor.builder("%2$s").commands("%2$s").build(); }
          public SkillResponse handle(Envelope e, SkillContext c) throws Exception {
            if (e != null) {
              %3$s
            }
            return SkillResponse.reply("unreachable");
          }
        }
        """.formatted(type, name, body);
  }

  private static CompletableFuture<Api.Answer> sendAsync(String sender, String text) {
    return api.postAsync("/v1/messages", new JsonObject().put("sender", new JsonObject().put("id", sender))
        .put("text", text).encode(), Map.of());
  }

  /** The {@code /admin/skills} entry of an active skill, or {@code null}. */
  private static JsonObject skill(String name) throws Exception {
    return entries().stream().filter(s -> name.equals(s.getString("name")) && !"failed".equals(s.getString("state")))
        .findFirst().orElse(null);
  }

  private static List<JsonObject> entries() throws Exception {
    Api.Answer answer = api.get("/admin/skills");
    assertEquals(200, answer.status());
    return answer.json().getJsonArray("skills").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonObject awaitSkill(String name, Predicate<JsonObject> condition) throws Exception {
    return await("skill " + name, () -> {
      JsonObject entry = skill(name);
      return entry != null && condition.test(entry) ? entry : null;
    });
  }

  private static void awaitGone(String name) throws Exception {
    await("skill " + name + " removed", () -> skill(name) == null ? new JsonObject() : null);
  }

  /** The reason the file at {@code pathInFolder} was not loaded. */
  private static String reasonOf(String pathInFolder) throws Exception {
    JsonObject entry = await("failure of " + pathInFolder, () -> entries().stream()
        .filter(s -> "failed".equals(s.getString("state")) && s.getString("path", "").endsWith(pathInFolder))
        .findFirst().orElse(null));
    return entry.getString("reason");
  }

  /** Waits until the gateway holds {@code n} private copies of plugin JARs (one per open class loader). */
  private static void awaitCopies(int n) throws Exception {
    Path copies = gateway.dataDir().resolve("plugin-copies");
    await(n + " plugin copies", () -> {
      try (var files = Files.list(copies)) {
        long jars = files.filter(f -> f.getFileName().toString().contains("greeter")).count();
        return jars == n ? new JsonObject() : null;
      }
    });
  }

  private interface Probe {
    JsonObject get() throws Exception;
  }

  private static JsonObject await(String what, Probe probe) throws Exception {
    long deadline = System.nanoTime() + NOTICED.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject found = probe.get();
      if (found != null) {
        return found;
      }
      Thread.sleep(100);
    }
    assertFalse(true, what + " not seen within " + NOTICED + ": " + entries());
    return null;
  }
}
