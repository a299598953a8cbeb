package dev.switchboard.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void defaultsWithoutAnyConfiguration() {
    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of());
    assertEquals(8080, c.http().port());
    assertEquals(Path.of("./data"), c.dataDir());
    assertTrue(c.storage().embeddedPostgres() && c.storage().embeddedRedis());
    assertTrue(c.channels().webhook().tokens().isEmpty());
    assertEquals(Duration.ofSeconds(10), c.skills().timeout());
    assertEquals("polling", c.channels().telegram().mode());
    assertEquals("https://api.telegram.org", c.channels().telegram().apiBaseUrl());
    assertFalse(c.channels().telegram().enabled());
  }

  @Test
  void fileThenEnvironmentWithPlatformNames() throws Exception {
    Path file = write("""
        http:
          port: 9000
        data-dir: /var/lib/switchboard
        channels:
          webhook:
            tokens: [one, two]
          telegram:
            api-base-url: http://127.0.0.1:9999/
        skills:
          timeout: 1500ms
          config:
            faq:
              file: faq.yml
        """);
    GatewayConfig c = ConfigLoader.load(Optional.of(file), Map.of(
        "SWITCHBOARD_HTTP_PORT", "9100",
        "TELEGRAM_BOT_TOKEN", "123:fake",
        "SWITCHBOARD_POSTGRES_URL", "postgresql://u:p@db.internal:5432/sb",
        "SWITCHBOARD_TEST_POSTGRES_URL", "ignored: not a configuration key"));
    assertEquals(9100, c.http().port(), "the environment wins over the file");
    assertEquals(Path.of("/var/lib/switchboard"), c.dataDir());
    assertEquals(List.of("one", "two"), c.channels().webhook().tokens().stream().map(Secret::value).toList());
    assertEquals("123:fake", c.channels().telegram().token().orElseThrow().value());
    assertEquals("http://127.0.0.1:9999", c.channels().telegram().apiBaseUrl());
    assertEquals(Duration.ofMillis(1500), c.skills().timeout());
    assertEquals("faq.yml", c.skills().config().get("faq").getString("file"));
    assertFalse(c.storage().embeddedPostgres());
  }

  @Test
  void commaSeparatedTokensFromTheEnvironment() {
    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of("SWITCHBOARD_CHANNELS_WEBHOOK_TOKENS", "a, b,,c"));
    assertEquals(List.of("a", "b", "c"), c.channels().webhook().tokens().stream().map(Secret::value).toList());
  }

  @Test
  void everyProblemIsReportedAtOnceWithoutSecrets() throws Exception {
    Path file = write("""
        htp:
          port: 1
        channels:
          telegram:
            mode: carrier-pigeon
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of(
        "SWITCHBOARD_HTTP_PORT", "eighty",
        "SWITCHBOARD_SKILLS_TIMEOUT", "forever",
        "SWITCHBOARD_REDIS_URL", "http://secret-password@host")));
    assertEquals(5, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("http.port: must be a whole number from 0 to 65535"));
    assertTrue(e.getMessage().contains("htp.port: unknown key"));
    assertTrue(e.getMessage().contains("channels.telegram.mode: must be one of polling, webhook"));
    assertTrue(e.getMessage().contains("skills.timeout"));
    assertTrue(e.getMessage().contains("redis.url"));
    assertFalse(e.getMessage().contains("secret-password"), "URLs may carry passwords: never echoed");
  }

  @Test
  void telegramWebhookModeNeedsItsSecret() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(
        "TELEGRAM_BOT_TOKEN", "123:fake", "SWITCHBOARD_CHANNELS_TELEGRAM_MODE", "webhook")));
    assertTrue(e.getMessage().contains("channels.telegram.webhook-secret: required in webhook mode"));
  }

  @Test
  void unreadableFilesAreReported() throws Exception {
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(dir.resolve("nope.yml")), Map.of()));
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(write("a: [")), Map.of()));
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(write("- a\n- b\n")), Map.of()));
  }

  @Test
  void secretsNeverPrint() {
    assertEquals("****", new Secret("hunter2").toString());
    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of("SWITCHBOARD_ADMIN_TOKEN", "hunter2"));
    assertFalse(c.toString().contains("hunter2"));
  }

  @Test
  void environmentNames() {
    assertEquals("SWITCHBOARD_CHANNELS_TELEGRAM_API_BASE_URL", ConfigLoader.envName("channels.telegram.api-base-url"));
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "switchboard", ".yml");
    Files.writeString(file, yaml);
    return file;
  }
}
