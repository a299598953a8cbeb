package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillHealth;
import dev.switchboard.app.skills.SkillLibrary;
import dev.switchboard.app.skills.SkillRunner;
import dev.switchboard.app.skills.TurnContext;
import dev.switchboard.spi.ChannelId;
import dev.switchboard.spi.Content;
import dev.switchboard.spi.ConversationKey;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.MessageId;
import dev.switchboard.spi.Sender;
import dev.switchboard.spi.SkillResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replaced plugin leaves nothing behind: once its last message is handled, its class loader (and with it
 * every class and static of the old version) can be garbage-collected.
 */
class PluginClassLoaderLeakTest {

  @Test
  void anOldVersionsClassLoaderIsCollectableAfterItIsReplaced(@TempDir Path dir) throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = plugins.resolve("greeter.jar");
    SkillPluginsTest.greeter("1.0").writeTo(jar, dir);
    Vertx vertx = Vertx.vertx();
    try (SkillLibrary library = SkillLibrary.start(getClass().getClassLoader(), plugins, dir.resolve("copies"),
        new SkillHealth.Policy(5, Duration.ofMinutes(1)));
        SkillRunner runner = new SkillRunner(vertx, Duration.ofSeconds(5))) {
      WeakReference<ClassLoader> oldLoader = handleOneMessage(library, runner, "Hello from greeter 1.0 (1)");
      collectGarbage(oldLoader, Duration.ofSeconds(1));
      assertNotNull(oldLoader.get(), "in use: the active version must not be collected");

      SkillPluginsTest.greeter("2.0").writeTo(jar, dir);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!"2.0".equals(library.current().byName("greeter").descriptor().version())) {
        assertTrue(System.nanoTime() < deadline, "version 2.0 not loaded");
        Thread.sleep(50);
      }

      collectGarbage(oldLoader, Duration.ofSeconds(20));
      assertNull(oldLoader.get(), "the replaced version's class loader is still reachable: a leak");
      try (var copies = Files.list(dir.resolve("copies"))) {
        assertEquals(1, copies.count(), "only the current version's copy is kept");
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Handles one message the way a turn does; answers a weak reference to the skill's class loader. */
  private static WeakReference<ClassLoader> handleOneMessage(SkillLibrary library, SkillRunner runner,
      String expected) {
    LoadedSkill skill = library.current().byName("greeter");
    assertTrue(skill.plugin().retain());
    Envelope envelope = new Envelope(new MessageId("m"), ChannelId.WEBHOOK,
        new ConversationKey(ChannelId.WEBHOOK, "c"), Sender.of("u"), Content.Command.parse("/greet"), null, null,
        Instant.now(), 1);
    TurnContext context = new TurnContext(envelope, "greeter", new JsonObject(), null,
        library.current().catalog());
    try {
      SkillResponse response = runner.run(skill.skill(), skill.plugin().classLoader(), envelope, context).await();
      assertEquals(expected, ((dev.switchboard.spi.Reply.Text) response.replies().get(0)).text());
    } finally {
      skill.plugin().release();
    }
    return new WeakReference<>(skill.skill().getClass().getClassLoader());
  }

  private static void collectGarbage(WeakReference<?> ref, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(100);
    }
  }
}
