package dev.switchboard.app;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.app.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar switchboard.jar [--config FILE]}: starts the gateway and runs until SIGTERM or Ctrl-C. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Multi-channel messaging gateway.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Held, and so reachable, for the life of the process: the operating system drops it with the process. */
  private static DataFolderLock dataFolder;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (default: ./switchboard.yml if present)")
  private Path configFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    GatewayConfig config;
    try {
      config = ConfigLoader.load(Optional.ofNullable(configFile), System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    LogSetup.apply(config.logging().level(), config.logging().json());
    try {
      dataFolder = DataFolderLock.acquire(config.dataDir());
    } catch (IllegalStateException | java.io.IOException e) {
      System.err.println("Switchboard did not start: " + e.getMessage());
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    CompletableFuture<Gateway> starting = Gateway.start(vertx, config).toCompletionStage().toCompletableFuture();
    // registered before start-up finishes: a SIGTERM during start-up still stops the embedded servers it started
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnceStarted(vertx, starting), "switchboard-shutdown"));
    Gateway gateway;
    try {
      gateway = starting.get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("Switchboard did not start: " + cause.getMessage());
      LOG.debug("start-up failure", cause);
      vertx.close().toCompletionStage().toCompletableFuture().join();
      return 1;
    }
    System.out.println(Banner.render(gateway));
    System.out.flush();
    try {
      new CountDownLatch(1).await(); // runs until SIGTERM or Ctrl-C; the shutdown hook stops the gateway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Waits for start-up to end (it stops what it started if it fails), then stops the gateway. */
  private static void stopOnceStarted(Vertx vertx, CompletableFuture<Gateway> starting) {
    Gateway gateway;
    try {
      gateway = starting.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      return; // start-up failed and cleaned up after itself, or never finished
    }
    stop(vertx, gateway);
  }

  private static void stop(Vertx vertx, Gateway gateway) {
    LOG.info("stopping: finishing in-flight messages");
    try {
      gateway.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stop did not finish cleanly: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("Vert.x did not close cleanly: {}", e.toString());
    }
    LOG.info("stopped");
  }

  /** Prints the version from the JAR manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"switchboard " + Banner.version()};
    }
  }
}
