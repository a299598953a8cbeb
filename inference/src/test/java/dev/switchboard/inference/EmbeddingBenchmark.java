package dev.switchboard.inference;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Embeddings per second and request latency, same sentences, same machine, same run: our service with dynamic
 * batching on (batches of up to 32, gathered for 5 ms or not at all; one worker, or two with a core each) and
 * off (batches of 1), and langchain4j's in-process MiniLM (one pass per text on each caller's thread, its own
 * OnnxRuntime session), each driven by the same concurrent callers, then by a single caller.
 *
 * <p>Run with {@code ./mvnw -B verify -Pbenchmark -pl inference -am}; it prints a table and asserts nothing
 * about speed.
 */
@Tag("benchmark")
class EmbeddingBenchmark {
  private static final int CALLERS = 32;
  private static final int REQUESTS = 1500;
  private static final int SEQUENTIAL_REQUESTS = 200;
  private static final int WARM_UP = 200;
  private static final int ROUNDS = 3;

  /** One way of embedding a single text, blocking. */
  @FunctionalInterface
  private interface Embedder {
    float[] embed(String text) throws Exception;
  }

  private record Result(String name, int callers, int requests, double seconds, long[] latenciesNanos,
      double[] roundsPerSecond) {
    /** All rounds' requests and latencies together, and each round's rate. */
    static Result merge(List<Result> rounds) {
      Result first = rounds.get(0);
      long[] latencies = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latenciesNanos())).toArray();
      double[] rates = rounds.stream().mapToDouble(r -> r.requests() / r.seconds()).toArray();
      return new Result(first.name(), first.callers(), rounds.stream().mapToInt(Result::requests).sum(),
          rounds.stream().mapToDouble(Result::seconds).sum(), latencies, rates);
    }

    double perSecond() {
      return requests / seconds;
    }

    double percentileMillis(double q) {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
  }

  @Test
  void batchingVersusNoBatchingVersusLangchain4j() throws Exception {
    List<String> sentences = sentences();
    try (EmbeddingService batching = EmbeddingService.create(InferenceSettings.defaults());
        EmbeddingService noDelay = EmbeddingService.create(
            new InferenceSettings(EmbeddingModel.DEFAULT_MODEL, 32, Duration.ZERO, 1024, 1));
        EmbeddingService single = EmbeddingService.create(
            new InferenceSettings(EmbeddingModel.DEFAULT_MODEL, 1, Duration.ZERO, 1024, 1));
        EmbeddingService twoWorkers = EmbeddingService.create(
            new InferenceSettings(EmbeddingModel.DEFAULT_MODEL, 32, Duration.ZERO, 1024, 2))) {
      AllMiniLmL6V2QuantizedEmbeddingModel langchain4j = Langchain4jReference.miniLm(); // after DJL: see there
      Map<String, Embedder> contenders = new LinkedHashMap<>();
      contenders.put("DJL service, batching on (max 32, 5 ms)", text -> batching.embed(text).get());
      contenders.put("DJL service, batching on (max 32, 0 ms)", text -> noDelay.embed(text).get());
      contenders.put("DJL service, batching off (max 1)", text -> single.embed(text).get());
      contenders.put("DJL service, 2 workers (max 32, 0 ms)", text -> twoWorkers.embed(text).get());
      contenders.put("langchain4j in-process, same MiniLM-q", text -> langchain4j.embed(text).content().vector());

      for (Embedder embedder : contenders.values()) {
        run("warm-up", embedder, sentences, CALLERS, WARM_UP);
      }
      String memoryAfterWarmUp = memory();
      // Rounds interleave the contenders, so a noisy moment on a shared machine does not favour one of them.
      List<Result> results = new ArrayList<>();
      for (int callers : new int[] {CALLERS, 1}) {
        Map<String, List<Result>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
          for (var contender : contenders.entrySet()) {
            int requests = callers == 1 ? SEQUENTIAL_REQUESTS : REQUESTS;
            rounds.computeIfAbsent(contender.getKey(), k -> new ArrayList<>())
                .add(run(contender.getKey(), contender.getValue(), sentences, callers, requests));
          }
        }
        rounds.values().forEach(r -> results.add(Result.merge(r)));
      }
      print(results, batching.stats());
      System.out.printf("memory (sustained load should leave it flat): after warm-up %s; after every round %s%n",
          memoryAfterWarmUp, memory());
    }
  }

  /** Heap in use after a GC, and the process's resident memory (native model memory included) on Linux. */
  private static String memory() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
    String rss = "n/a";
    try {
      rss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).map(l -> (Long.parseLong(l.replaceAll("\\D", "")) >> 10) + " MB")
          .findFirst().orElse("n/a");
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: heap only
    }
    return "heap " + heap + " MB, RSS " + rss;
  }

  private static Result run(String name, Embedder embedder, List<String> sentences, int callers, int requests)
      throws Exception {
    long[] latencies = new long[requests];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        running.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
            long t = System.nanoTime();
            embedder.embed(sentences.get(i % sentences.size()));
            latencies[i] = System.nanoTime() - t;
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdown();
    }
    return new Result(name, callers, requests, (System.nanoTime() - started) / 1e9, latencies, new double[0]);
  }

  private static void print(List<Result> results, InferenceStats stats) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%nEmbedding benchmark: all-minilm-l6-v2 (quantized), %d cores, Java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    out.append(String.format("%-42s %8s %9s %12s %-18s %8s %8s%n", "", "callers", "requests", "embeddings/s",
        " (each round)", "p50 ms", "p99 ms"));
    for (Result r : results) {
      String rounds = Arrays.stream(r.roundsPerSecond()).mapToObj(x -> String.format("%.0f", x)).toList().toString();
      out.append(String.format("%-42s %8d %9d %12.0f %-18s %8.1f %8.1f%n", r.name(), r.callers(), r.requests(),
          r.perSecond(), " " + rounds, r.percentileMillis(0.50), r.percentileMillis(0.99)));
    }
    InferenceStats.ModelStats batched = stats.models().get(0);
    out.append(String.format("batching on, batch sizes over the whole run: %s (%d passes for %d texts)%n",
        batched.batchSizes().stream().map(b -> b.label() + ":" + b.count()).toList(), batched.batches(),
        batched.texts()));
    System.out.println(out);
  }

  /** A few hundred distinct chat-like messages, short and long. */
  private static List<String> sentences() {
    String[] openings = {"can you", "please", "I need you to", "could you quickly", "remind me to", "don't forget to"};
    String[] actions = {"add milk to my shopping list", "show my todo list", "roll two dice",
        "tell me tomorrow's weather in Berlin", "book a table for four at eight", "cancel my dentist appointment",
        "summarise the last three messages from the project channel", "start a new game of guess the number",
        "translate 'good morning' into Portuguese", "set a timer for twenty minutes"};
    String[] endings = {"", " thanks", " as soon as possible", " before the meeting with the design team on Friday",
        " and let me know when it's done"};
    List<String> sentences = new ArrayList<>();
    for (String opening : openings) {
      for (String action : actions) {
        for (String ending : endings) {
          sentences.add(opening + " " + action + ending);
        }
      }
    }
    return sentences;
  }
}
