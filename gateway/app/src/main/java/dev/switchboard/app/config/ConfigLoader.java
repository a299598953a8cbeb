package dev.switchboard.app.config;

import dev.switchboard.app.quota.SenderQuotas;
import dev.switchboard.channels.ChannelConfig;
import dev.switchboard.channels.ClientAddresses;
import dev.switchboard.channels.ChannelProvider;
import dev.switchboard.channels.JwtVerifier;
import dev.switchboard.inference.EmbeddingModel;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the YAML file and the environment into one {@link GatewayConfig}. For each key the first found wins:
 * {@code SWITCHBOARD_<KEY>} (the key upper-cased, {@code .} and {@code -} as {@code _}), the platform's usual
 * variable ({@code TELEGRAM_BOT_TOKEN}, ...), the file, the default. Every problem is collected and reported
 * at once; secret values are never echoed.
 */
public final class ConfigLoader {
  /** The file read when no {@code --config} is given, if it exists. */
  public static final Path DEFAULT_FILE = Path.of("switchboard.yml");

  private static final String SKILL_CONFIG_PREFIX = "skills.config";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private final Map<String, Object> file;
  private final Map<String, String> env;
  /** Platform environment variables by full key ({@code channels.telegram.token} → {@code TELEGRAM_BOT_TOKEN}). */
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final String source;
  private final List<String> problems = new ArrayList<>();
  private final TreeSet<String> known = new TreeSet<>();
  private Map<String, JsonObject> skillConfig = Map.of();

  private ConfigLoader(Map<String, Object> file, Map<String, String> env, String source) {
    this.file = file;
    this.env = env;
    this.source = source;
  }

  /**
   * Loads the configuration.
   *
   * @param explicitFile the {@code --config} file, or empty to use {@code ./switchboard.yml} when present
   * @param env the process environment
   * @throws ConfigException listing every problem
   */
  public static GatewayConfig load(Optional<Path> explicitFile, Map<String, String> env) {
    return load(explicitFile, env, installedChannels());
  }

  /** Every channel on the class path, by name (so the banner and deployment order is stable). */
  public static List<ChannelProvider<?>> installedChannels() {
    List<ChannelProvider<?>> providers = new ArrayList<>();
    ServiceLoader.load(ChannelProvider.class, ConfigLoader.class.getClassLoader()).forEach(providers::add);
    providers.sort(Comparator.comparing(ChannelProvider::name));
    return providers;
  }

  /**
   * Every environment variable the gateway reads: {@code SWITCHBOARD_<KEY>} for each key, and the platforms' own
   * names ({@code TELEGRAM_BOT_TOKEN}). Deployment files are checked against it.
   */
  public static java.util.Set<String> environmentVariables() {
    ConfigLoader loader = new ConfigLoader(new LinkedHashMap<>(), Map.of(), "defaults");
    loader.build(installedChannels()); // every key is read, set or not
    java.util.Set<String> names = new TreeSet<>(loader.aliases.values());
    loader.known.forEach(key -> names.add(envName(key)));
    return names;
  }

  /** Loads the configuration with these channels. */
  public static GatewayConfig load(Optional<Path> explicitFile, Map<String, String> env,
      List<ChannelProvider<?>> channels) {
    Path path = explicitFile.orElse(Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
    Map<String, Object> flat = new LinkedHashMap<>();
    ConfigLoader loader;
    if (path == null) {
      loader = new ConfigLoader(flat, env, "defaults");
    } else {
      List<String> readProblems = new ArrayList<>();
      Map<String, JsonObject> skills = new LinkedHashMap<>();
      readYaml(path, flat, skills, readProblems);
      loader = new ConfigLoader(flat, env, path.toString());
      loader.problems.addAll(readProblems);
      loader.skillConfig = skills;
    }
    return loader.build(channels);
  }

  private GatewayConfig build(List<ChannelProvider<?>> channels) {
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http(integer("http.port", 8080, 0, 65535), trustedProxies("http.trusted-proxies"),
            duration("http.request-time-limit", Duration.ofSeconds(45))),
        path("data-dir", "./data"),
        new GatewayConfig.Storage(url("redis.url", "redis", "rediss"), url("postgres.url", "postgresql", "postgres"),
            duration("storage.recovery-limit", Duration.ofMinutes(2))),
        new GatewayConfig.Admin(secret("admin.token")),
        jwt(),
        new GatewayConfig.Channels(channels.stream().<ChannelProvider.Configured<?>>map(this::configure)
            .filter(java.util.Objects::nonNull).toList()),
        new GatewayConfig.Skills(path("skills.dir", "./plugins"),
            duration("skills.timeout", Duration.ofSeconds(10)),
            integer("skills.quarantine.failures", 5, 1, 1000),
            duration("skills.quarantine.duration", Duration.ofMinutes(1)), skillConfig),
        new GatewayConfig.Sessions(duration("sessions.ttl", Duration.ofHours(24))),
        new GatewayConfig.Inference(string("inference.model").orElse("all-minilm-l6-v2"),
            integer("inference.max-batch-size", 32, 1, 256),
            durationOrZero("inference.max-batch-delay", Duration.ZERO),
            integer("inference.max-queue", 1024, 1, 100_000),
            integer("inference.workers", 1, 1, 16),
            string("inference.semantic-threshold").isEmpty() ? Optional.empty()
                : Optional.of(decimal("inference.semantic-threshold", 0.5)),
            new GatewayConfig.Llm(url("inference.llm.base-url", "http", "https"), string("inference.llm.model"),
                secret("inference.llm.api-key"), duration("inference.llm.timeout", Duration.ofSeconds(8)),
                integer("inference.llm.max-tokens", 512, 1, 32_768),
                integer("inference.llm.history-turns", 10, 0, 100),
                integer("inference.llm.history-chars", 6000, 0, 16_000))),
        new GatewayConfig.Moderation(strings("moderation.blocked-keywords"),
            regexes("moderation.blocked-patterns"), strings("moderation.blocked-examples"),
            decimal("moderation.threshold", 0.8),
            string("moderation.reply").orElse("Sorry, I can't help with that.")),
        new GatewayConfig.Retention(Duration.ofDays(integer("retention.days", 30, 1, 36_500))),
        limits(channels),
        logging(),
        new GatewayConfig.Tracing(url("tracing.otlp-endpoint", "http", "https")));
    String model = config.inference().model();
    if (!"none".equals(model) && !EmbeddingModel.bundledModels().contains(model)
        && !java.nio.file.Files.isDirectory(Path.of(model))) {
      problems.add("inference.model: must be one of " + String.join(", ", EmbeddingModel.bundledModels())
          + ", none, or a folder with model.onnx and tokenizer.json (got \"" + model + "\")");
    }
    GatewayConfig.Llm llm = config.inference().llm();
    if (llm.enabled() && llm.model().isEmpty()) {
      problems.add("inference.llm.model: required with inference.llm.base-url (the model to ask, e.g. gpt-4o-mini)");
    }
    for (String key : file.keySet()) {
      if (!known.contains(key)) {
        problems.add(key + ": unknown key in " + source);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** Reads a channel's section through its provider: empty (null) when the channel is off. */
  private <S> ChannelProvider.Configured<S> configure(ChannelProvider<S> provider) {
    String prefix = "channels." + provider.name() + ".";
    provider.environmentAliases().forEach((key, variable) -> aliases.put(prefix + key, variable));
    ChannelConfig section = new ChannelConfig() {
      @Override
      public Optional<String> string(String key) {
        return ConfigLoader.this.string(prefix + key);
      }

      @Override
      public List<String> strings(String key) {
        return ConfigLoader.this.strings(prefix + key);
      }

      @Override
      public String oneOf(String key, String defaultValue, String... allowed) {
        return ConfigLoader.this.oneOf(prefix + key, defaultValue, allowed);
      }

      @Override
      public Optional<String> url(String key, String... schemes) {
        return ConfigLoader.this.url(prefix + key, schemes);
      }

      @Override
      public String baseUrl(String key, String defaultValue) {
        return ConfigLoader.this.baseUrl(prefix + key, defaultValue);
      }

      @Override
      public void problem(String key, String message) {
        problems.add(prefix + key + ": " + message);
      }
    };
    return provider.configure(section).map(settings -> new ChannelProvider.Configured<>(provider, settings))
        .orElse(null);
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The raw value of a key: environment first, then the file; empty strings count as unset. */
  private Object raw(String key) {
    known.add(key);
    String value = env.get(envName(key));
    if (value == null && aliases.containsKey(key)) {
      value = env.get(aliases.get(key));
    }
    if (value != null) {
      return value.isBlank() ? null : value;
    }
    Object fromFile = file.get(key);
    return fromFile instanceof String s && s.isBlank() ? null : fromFile;
  }

  private Optional<String> string(String key) {
    Object value = raw(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map || value instanceof List) {
      problems.add(key + ": must be a single value");
      return Optional.empty();
    }
    return Optional.of(value.toString().strip());
  }

  private Optional<Secret> secret(String key) {
    return string(key).map(Secret::new);
  }

  private List<Secret> secrets(String key) {
    return strings(key).stream().map(Secret::new).toList();
  }

  /** A list of strings: a YAML list, or one comma-separated string (as in an environment variable). */
  private List<String> strings(String key) {
    Object value = raw(key);
    if (value == null) {
      return List.of();
    }
    List<?> items = value instanceof List<?> list ? list : List.of(value.toString().split(","));
    List<String> result = new ArrayList<>();
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        problems.add(key + ": must be a list of strings (or one comma-separated string)");
        return List.of();
      }
      String text = item.toString().strip();
      if (!text.isEmpty()) {
        result.add(text);
      }
    }
    return result;
  }

  /** Addresses or CIDR blocks, each checked here. */
  private List<String> trustedProxies(String key) {
    List<String> result = strings(key);
    try {
      new ClientAddresses(result);
    } catch (IllegalArgumentException e) {
      problems.add(key + ": " + e.getMessage());
      return List.of();
    }
    return result;
  }

  /** A list of regular expressions, each checked here so a typo stops start-up with its key. */
  private List<String> regexes(String key) {
    List<String> result = strings(key);
    for (String regex : result) {
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        problems.add(key + ": not a regular expression: " + regex);
      }
    }
    return result;
  }

  /** A number from 0 to 1. */
  private double decimal(String key, double defaultValue) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(value.get());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(key + ": must be a number from 0 to 1 (got \"" + value.get() + "\")");
    return defaultValue;
  }

  private int integer(String key, int defaultValue, int min, int max) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(key + ": must be a whole number from " + min + " to " + max + " (got \"" + value.get() + "\")");
    return defaultValue;
  }

  private Path path(String key, String defaultValue) {
    return Path.of(string(key).orElse(defaultValue));
  }

  private String oneOf(String key, String defaultValue, String... allowed) {
    String value = string(key).orElse(defaultValue);
    if (!List.of(allowed).contains(value)) {
      problems.add(key + ": must be one of " + String.join(", ", allowed) + " (got \"" + value + "\")");
      return defaultValue;
    }
    return value;
  }

  /** A duration that may also be {@code 0} (or {@code 0ms}): "do not wait". */
  private Duration durationOrZero(String key, Duration defaultValue) {
    Optional<String> value = string(key);
    if (value.isPresent() && value.get().matches("0+(ms|s)?")) {
      return Duration.ZERO;
    }
    return duration(key, defaultValue);
  }

  private Duration duration(String key, Duration defaultValue) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Matcher m = DURATION.matcher(value.get().toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      problems.add(key + ": must be a positive duration such as 500ms, 10s, 5m, 24h or 7d (got \""
          + value.get() + "\")");
      return defaultValue;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** An optional URL whose scheme must be one of {@code schemes}. Never echoed: URLs may hold passwords. */
  private Optional<String> url(String key, String... schemes) {
    Optional<String> value = string(key);
    if (value.isEmpty()) {
      return value;
    }
    try {
      URI uri = new URI(value.get());
      if (uri.getScheme() != null && List.of(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT))
          && uri.getHost() != null) {
        return value;
      }
    } catch (Exception ignored) {
      // reported below
    }
    problems.add(key + ": must be a URL starting with " + String.join("://, ", schemes) + "://");
    return Optional.empty();
  }

  /** {@code logging.level} (any case) and {@code logging.format}. */
  private GatewayConfig.Logging logging() {
    List<String> levels = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    String level = string("logging.level").orElse("INFO").toUpperCase(Locale.ROOT);
    if (!levels.contains(level)) {
      problems.add("logging.level: must be one of " + String.join(", ", levels) + " (got \"" + level + "\")");
      level = "INFO";
    }
    return new GatewayConfig.Logging(level, "json".equals(oneOf("logging.format", "text", "text", "json")));
  }

  /** {@code limits.sender.*}, and {@code limits.<channel>.*} for each installed channel that sets them. */
  private GatewayConfig.Limits limits(List<ChannelProvider<?>> channels) {
    SenderQuotas.Limit sender = new SenderQuotas.Limit(integer("limits.sender.per-minute", 60, 1, 10_000_000),
        integer("limits.sender.burst", 20, 1, 10_000_000));
    Map<String, SenderQuotas.Limit> perChannel = new LinkedHashMap<>();
    for (ChannelProvider<?> channel : channels) {
      String prefix = "limits." + channel.name() + ".";
      if (string(prefix + "per-minute").isPresent() || string(prefix + "burst").isPresent()) {
        perChannel.put(channel.name(), new SenderQuotas.Limit(
            integer(prefix + "per-minute", sender.perMinute(), 1, 10_000_000),
            integer(prefix + "burst", sender.burst(), 1, 10_000_000)));
      }
    }
    return new GatewayConfig.Limits(sender, perChannel);
  }

  /** {@code auth.jwt.*}: off unless a JWKS URL or a public key is set; then issuer and audience are required. */
  private Optional<JwtVerifier.Settings> jwt() {
    Optional<String> jwksUrl = url("auth.jwt.jwks-url", "http", "https");
    Optional<String> publicKey = string("auth.jwt.public-key").map(this::pem);
    Optional<String> issuer = string("auth.jwt.issuer");
    Optional<String> audience = string("auth.jwt.audience");
    Duration skew = duration("auth.jwt.clock-skew", Duration.ofSeconds(30));
    if (jwksUrl.isEmpty() && publicKey.isEmpty()) {
      if (issuer.isPresent() || audience.isPresent()) {
        problems.add("auth.jwt.jwks-url: required (or auth.jwt.public-key) with auth.jwt.issuer and audience");
      }
      return Optional.empty();
    }
    if (jwksUrl.isPresent() && publicKey.isPresent()) {
      problems.add("auth.jwt.public-key: set either auth.jwt.jwks-url or auth.jwt.public-key, not both");
    }
    if (issuer.isEmpty()) {
      problems.add("auth.jwt.issuer: required with JWT authentication (the iss every token must carry)");
    }
    if (audience.isEmpty()) {
      problems.add("auth.jwt.audience: required with JWT authentication (the aud every token must carry)");
    }
    return Optional.of(new JwtVerifier.Settings(jwksUrl.orElse(null), publicKey.orElse(null), issuer.orElse(""),
        audience.orElse(""), skew));
  }

  /** A PEM public key given inline, or the path of a file holding one. */
  private String pem(String value) {
    String pem;
    try {
      pem = value.startsWith("-----BEGIN") ? value : Files.readString(Path.of(value));
    } catch (IOException | RuntimeException e) {
      problems.add("auth.jwt.public-key: must be a PEM public key or the path of a file holding one "
          + "(the file could not be read)");
      return null;
    }
    try {
      JwtVerifier.keyAlgorithm(pem);
      return pem;
    } catch (IllegalArgumentException e) {
      problems.add("auth.jwt.public-key: " + e.getMessage());
      return null;
    }
  }

  private String baseUrl(String key, String defaultValue) {
    return url(key, "http", "https").orElse(defaultValue).replaceAll("/+$", "");
  }

  private static void readYaml(Path path, Map<String, Object> flat, Map<String, JsonObject> skills,
      List<String> problems) {
    if (!Files.isRegularFile(path)) {
      problems.add("config file " + path + " does not exist");
      return;
    }
    Object root;
    try (InputStream in = Files.newInputStream(path)) {
      root = new Load(LoadSettings.builder().setLabel(path.toString()).setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(10).build()).loadFromInputStream(in);
    } catch (IOException e) {
      problems.add("config file " + path + " cannot be read: " + e.getMessage());
      return;
    } catch (YamlEngineException e) {
      problems.add("config file " + path + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof Map<?, ?> map)) {
      problems.add("config file " + path + " must hold a mapping of keys");
      return;
    }
    flatten("", map, flat, skills, problems);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> flat,
      Map<String, JsonObject> skills, List<String> problems) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
      Object value = entry.getValue();
      if (key.equals(SKILL_CONFIG_PREFIX)) {
        readSkillConfig(value, skills, problems);
      } else if (value instanceof Map<?, ?> child) {
        flatten(key, child, flat, skills, problems);
      } else {
        flat.put(key, value);
      }
    }
  }

  private static void readSkillConfig(Object value, Map<String, JsonObject> skills, List<String> problems) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> bySkill)) {
      problems.add(SKILL_CONFIG_PREFIX + ": must map skill names to their settings");
      return;
    }
    for (Map.Entry<?, ?> entry : bySkill.entrySet()) {
      if (!(entry.getValue() instanceof Map<?, ?> settings)) {
        problems.add(SKILL_CONFIG_PREFIX + "." + entry.getKey() + ": must be a mapping of settings");
        continue;
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      settings.forEach((k, v) -> copy.put(String.valueOf(k), v));
      skills.put(String.valueOf(entry.getKey()), new JsonObject(copy));
    }
  }
}
