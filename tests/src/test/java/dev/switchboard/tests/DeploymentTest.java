package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files in {@code compose/} and the root {@code Dockerfile}, read as an operator's tools would
 * read them: every variable they set is one the gateway reads, the stack has its health checks and pinned
 * versions, the gateway started as the image starts it (its environment from the compose file and
 * {@code .env.example}) carries a conversation on external PostgreSQL and Redis, every probe path answers, and
 * every metric the dashboard and the alert rules use is in {@code /metrics}.
 */
class DeploymentTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = ROOT.resolve("compose");
  private static final Pattern SERIES = Pattern.compile("\\b((?:switchboard|process|jvm)_[a-z0-9_]+)\\b");

  @Test
  @SuppressWarnings("unchecked")
  void everyVariableTheFilesSetIsOneTheGatewayReads() throws Exception {
    Set<String> read = ConfigLoader.environmentVariables();
    Map<String, String> set = new LinkedHashMap<>();
    gatewayEnvironment().keySet().forEach(name -> set.put(name, "compose/docker-compose.yml"));
    envExample().keySet().stream().filter(n -> n.startsWith("SWITCHBOARD_"))
        .forEach(name -> set.put(name, "compose/.env.example"));
    for (String file : List.of("configmap.yaml", "secret.example.yaml")) {
      Map<String, Object> manifest = yaml(COMPOSE.resolve("kubernetes").resolve(file));
      Map<String, Object> data = map(manifest.getOrDefault("data", manifest.get("stringData")));
      data.keySet().forEach(name -> set.put(name, "compose/kubernetes/" + file));
    }
    Matcher env = Pattern.compile("(SWITCHBOARD_[A-Z_]+)=").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    while (env.find()) {
      set.put(env.group(1), "Dockerfile");
    }
    assertTrue(set.size() > 10, set.toString());
    set.forEach((name, file) -> assertTrue(read.contains(name), file + " sets " + name
        + ", which the gateway does not read"));

    // the stack as the plan has it: pinned servers, Redis appending, health checks gating the gateway
    Map<String, Object> services = map(yaml(COMPOSE.resolve("docker-compose.yml")).get("services"));
    assertTrue(String.valueOf(map(services.get("postgres")).get("image")).matches("postgres:\\d+.*"));
    assertTrue(String.valueOf(map(services.get("redis")).get("image")).matches("redis:\\d+\\.\\d+.*"));
    assertTrue(String.join(" ", (List<String>) map(services.get("redis")).get("command")).contains("--appendonly yes"));
    for (String service : List.of("gateway", "postgres", "redis")) {
      assertTrue(map(services.get(service)).containsKey("healthcheck"), service + " has a health check");
    }
    Map<String, Object> dependsOn = map(map(services.get("gateway")).get("depends_on"));
    for (String store : List.of("postgres", "redis")) {
      assertEquals("service_healthy", map(dependsOn.get(store)).get("condition"), store);
    }
    Map<String, Object> hpa = map(yaml(COMPOSE.resolve("kubernetes/hpa.yaml")).get("spec"));
    assertEquals(List.of(2, 10), List.of(hpa.get("minReplicas"), hpa.get("maxReplicas")));
    assertTrue(Files.readString(COMPOSE.resolve("kubernetes/hpa.yaml")).contains("averageUtilization: 70"));
  }

  @Test
  void theGatewayStartedAsTheImageStartsItServesAndExposesWhatTheDashboardsWatch() throws Exception {
    try (GatewayProcess storage = GatewayProcess.start("deployment-storage", Map.of())) {
      Map<String, String> env = new HashMap<>(gatewayEnvironment());
      Matcher toolOptions = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
          .matcher(Files.readString(ROOT.resolve("Dockerfile")));
      assertTrue(toolOptions.find(), "the image sets the JVM's options");
      env.put("JAVA_TOOL_OPTIONS", toolOptions.group(1));
      // the compose file's servers, here: the other gateway's embedded PostgreSQL and Redis
      env.put("SWITCHBOARD_POSTGRES_URL", storage.postgresUrl());
      env.put("SWITCHBOARD_REDIS_URL", storage.redisUrl());
      Path skills = Files.createDirectories(Path.of("target/e2e/deployment-skills").toAbsolutePath());
      env.put("SWITCHBOARD_SKILLS_DIR", skills.toString());
      env.remove("SWITCHBOARD_HTTP_PORT"); // the test picks a free port
      try (GatewayProcess gateway = GatewayProcess.start("deployment", env)) {
        Api api = new Api(gateway);
        // this gateway alone works the conversations (the other one only lends its servers): it takes the
        // paused node's shards over within seconds, and the turns and their figures are all here
        storage.pause();
        try {
          assertTrue(gateway.stdout().contains("storage:  PostgreSQL at 127.0.0.1"), gateway.stdout());
          assertEquals("What should I add?", reply(api.post("/v1/messages?wait=30", new JsonObject()
              .put("sender", new JsonObject().put("id", "ops")).put("text", "/todo add"))));
          assertEquals("Added \"milk\". You have 1 item.", reply(api.send("ops", "milk")));

          for (String path : probePaths()) {
            assertEquals(200, api.send(HttpRequest.newBuilder(api.uri(path)).build()).status(), path);
          }

          String metrics = api.get("/metrics").raw().body();
          Set<String> watched = new TreeSet<>();
          for (Path file : List.of(COMPOSE.resolve("prometheus/alerts.yml"),
              COMPOSE.resolve("grafana/dashboards/switchboard.json"))) {
            Matcher series = SERIES.matcher(Files.readString(file));
            while (series.find()) {
              watched.add(series.group(1));
            }
          }
          assertTrue(watched.size() > 15, watched.toString());
          for (String series : watched) {
            assertTrue(Pattern.compile("(?m)^" + series + "[{ ]").matcher(metrics).find(),
                series + " is watched but not in /metrics");
          }
          assertTrue(metrics.contains("switchboard_turn_duration_seconds_count{channel=\"webhook\"} 2"), metrics);
          assertTrue(metrics.contains("switchboard_messages_received_total{channel=\"webhook\"} 2.0"), metrics);
          assertTrue(metrics.contains(
              "switchboard_http_requests_total{route=\"/v1/messages\",status=\"200\"} 2.0"), metrics);
        } finally {
          storage.resume();
        }
      }
    }
  }

  @Test
  void logsAreOneJsonObjectPerLineAtTheChosenLevelWithStartUpProgress() throws Exception {
    try (GatewayProcess gateway = GatewayProcess.start("logging", Map.of(
        "SWITCHBOARD_LOGGING_FORMAT", "json", "SWITCHBOARD_LOGGING_LEVEL", "debug"))) {
      assertEquals(200, new Api(gateway).send("logger", "/help").status());
      List<JsonObject> lines = new ArrayList<>();
      for (String line : gateway.stderr().split("\n")) {
        if (!line.isBlank() && !line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
          lines.add(new JsonObject(line)); // fails the test on a line that is not one JSON object
        }
      }
      List<String> messages = lines.stream().map(l -> l.getString("formattedMessage")).toList();
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("starting: embedded PostgreSQL and Redis")), messages.toString());
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("storage ready after")), messages.toString());
      // the turn's line carries the message id and conversation as fields of their own
      JsonObject turn = lines.stream().filter(l -> "DEBUG".equals(l.getString("level"))
              && l.getString("loggerName").endsWith("DeliverStage")).findFirst()
          .orElseThrow(() -> new AssertionError("no DEBUG line about the turn: " + messages));
      assertEquals("webhook:logger", turn.getJsonArray("kvpList").stream()
          .map(JsonObject.class::cast).filter(kv -> kv.containsKey("conversation")).findFirst().orElseThrow()
          .getString("conversation"), turn.encode());
      // java.util.logging (the ONNX runtime logs through it) arrives through the same setup
      assertTrue(lines.stream().anyMatch(l -> l.getString("loggerName").startsWith("ai.onnxruntime")),
          "java.util.logging is routed into the log setup");
    }
  }

  /** The gateway service's environment in the compose file, interpolated with {@code .env.example}. */
  private static Map<String, String> gatewayEnvironment() throws IOException {
    Map<String, String> values = envExample();
    Map<String, Object> gateway = map(map(yaml(COMPOSE.resolve("docker-compose.yml")).get("services")).get("gateway"));
    Map<String, String> env = new LinkedHashMap<>();
    map(gateway.get("environment")).forEach((name, value) -> env.put(name, interpolate(String.valueOf(value), values)));
    return env;
  }

  /** {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${NAME:?message}} as Compose resolves them. */
  private static String interpolate(String value, Map<String, String> values) {
    Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String found = values.getOrDefault(m.group(1), "");
      if (found.isEmpty() && "-".equals(m.group(2))) {
        found = m.group(3);
      }
      if (found.isEmpty() && "?".equals(m.group(2))) {
        throw new AssertionError(".env.example leaves " + m.group(1) + " empty, which the compose file requires");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(found));
    }
    return m.appendTail(out).toString();
  }

  private static Map<String, String> envExample() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return values;
  }

  /** Every HTTP path the image, the compose file and the Kubernetes Deployment probe. */
  private static Set<String> probePaths() throws IOException {
    Set<String> paths = new TreeSet<>();
    Matcher m = Pattern.compile("(/health/[a-z]+)").matcher(Files.readString(ROOT.resolve("Dockerfile"))
        + Files.readString(COMPOSE.resolve("docker-compose.yml"))
        + Files.readString(COMPOSE.resolve("kubernetes/deployment.yaml")));
    while (m.find()) {
      paths.add(m.group(1));
    }
    assertEquals(Set.of("/health/live", "/health/ready"), paths);
    return paths;
  }

  private static String reply(Api.Answer answer) {
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().getJsonArray("replies").getJsonObject(0).getString("text");
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    List<Object> documents = new ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file)).forEach(documents::add);
    return map(documents.get(0));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
