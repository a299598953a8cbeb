package dev.switchboard.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.telegram.TelegramSettings;
import dev.switchboard.channels.webhook.WebhookSettings;
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
    assertTrue(c.channels().settings("webhook", WebhookSettings.class).orElseThrow().tokens().isEmpty());
    assertEquals(Duration.ofSeconds(10), c.skills().timeout());
    assertEquals(List.of("webhook"), c.channels().configured().stream().map(ch -> ch.provider().name()).toList(),
        "only the webhook is on without platform credentials");
    TelegramSettings telegram = ConfigLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "123:fake"))
        .channels().settings("telegram", TelegramSettings.class).orElseThrow();
    assertEquals("polling", telegram.mode());
    assertEquals("https://api.telegram.org", telegram.apiBaseUrl());
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
    assertEquals(List.of("one", "two"),
        c.channels().settings("webhook", WebhookSettings.class).orElseThrow().tokens());
    TelegramSettings telegram = c.channels().settings("telegram", TelegramSettings.class).orElseThrow();
    assertEquals("123:fake", telegram.token(), "TELEGRAM_BOT_TOKEN, the platform's own name, is read");
    assertEquals("http://127.0.0.1:9999", telegram.apiBaseUrl());
    assertEquals(Duration.ofMillis(1500), c.skills().timeout());
    assertEquals("faq.yml", c.skills().config().get("faq").getString("file"));
    assertFalse(c.storage().embeddedPostgres());
  }

  @Test
  void inferenceAndModerationKeys() throws Exception {
    GatewayConfig defaults = ConfigLoader.load(Optional.empty(), Map.of());
    assertEquals("all-minilm-l6-v2", defaults.inference().model());
    assertEquals(java.time.Duration.ZERO, defaults.inference().maxBatchDelay());
    assertEquals(false, defaults.inference().llm().enabled());
    assertEquals(List.of(), defaults.moderation().blockedKeywords());

    GatewayConfig c = ConfigLoader.load(Optional.of(write("""
        inference:
          model: bge-small-en-v1.5
          max-batch-delay: 2ms
          llm:
            base-url: http://127.0.0.1:11434/v1
            model: llama3.2
        moderation:
          blocked-keywords: [spam, scam]
          blocked-patterns: ['\\bfree money\\b']
          threshold: 0.9
        """)), Map.of("SWITCHBOARD_MODERATION_BLOCKED_EXAMPLES", "how to pick a lock"));
    assertEquals(java.time.Duration.ofMillis(2), c.inference().maxBatchDelay());
    assertEquals("llama3.2", c.inference().llm().model().orElseThrow());
    assertEquals(List.of("spam", "scam"), c.moderation().blockedKeywords());
    assertEquals(List.of("\\bfree money\\b"), c.moderation().blockedPatterns());
    assertEquals(List.of("how to pick a lock"), c.moderation().blockedExamples());
    assertEquals(0.9, c.moderation().threshold());

    ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(
        "SWITCHBOARD_INFERENCE_LLM_BASE_URL", "http://127.0.0.1:8000",
        "SWITCHBOARD_MODERATION_BLOCKED_PATTERNS", "(unclosed",
        "SWITCHBOARD_INFERENCE_SEMANTIC_THRESHOLD", "1.5")));
    assertTrue(bad.getMessage().contains("inference.llm.model: required"), bad.getMessage());
    assertTrue(bad.getMessage().contains("moderation.blocked-patterns: not a regular expression"), bad.getMessage());
    assertTrue(bad.getMessage().contains("inference.semantic-threshold: must be a number from 0 to 1"),
        bad.getMessage());
  }

  @Test
  void commaSeparatedTokensFromTheEnvironment() {
    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of("SWITCHBOARD_CHANNELS_WEBHOOK_TOKENS", "a, b,,c"));
    assertEquals(List.of("a", "b", "c"), c.channels().settings("webhook", WebhookSettings.class).orElseThrow().tokens());
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
  void jwtNeedsIssuerAudienceAndOneKeySource() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(
        "SWITCHBOARD_AUTH_JWT_JWKS_URL", "https://id.example.test/jwks",
        "SWITCHBOARD_AUTH_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----")));
    assertTrue(e.getMessage().contains("auth.jwt.issuer: required"), e.getMessage());
    assertTrue(e.getMessage().contains("auth.jwt.audience: required"), e.getMessage());
    assertTrue(e.getMessage().contains("auth.jwt.public-key: neither an RSA nor an EC public key"), e.getMessage());

    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of(
        "SWITCHBOARD_AUTH_JWT_JWKS_URL", "https://id.example.test/jwks", "SWITCHBOARD_AUTH_JWT_ISSUER", "https://id.example.test/",
        "SWITCHBOARD_AUTH_JWT_AUDIENCE", "switchboard", "SWITCHBOARD_AUTH_JWT_CLOCK_SKEW", "10s"));
    assertEquals("switchboard", c.jwt().orElseThrow().audience());
    assertEquals(java.time.Duration.ofSeconds(10), c.jwt().orElseThrow().clockSkew());
    assertTrue(ConfigLoader.load(Optional.empty(), Map.of()).jwt().isEmpty(), "off unless configured");
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
    GatewayConfig c = ConfigLoader.load(Optional.empty(), Map.of("SWITCHBOARD_ADMIN_TOKEN", "hunter2",
        "SWITCHBOARD_CHANNELS_WEBHOOK_TOKENS", "hunter3", "TELEGRAM_BOT_TOKEN", "123:hunter4",
        "SLACK_BOT_TOKEN", "xoxb-hunter5", "SLACK_SIGNING_SECRET", "hunter6"));
    for (String secret : List.of("hunter2", "hunter3", "hunter4", "hunter5", "hunter6")) {
      assertFalse(c.toString().contains(secret), secret);
    }
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
