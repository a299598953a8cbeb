package dev.switchboard.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.InferenceBusyException;
import dev.switchboard.spi.InferenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The batcher with a real model: batching, refusal when full, and switching models under load. */
class EmbeddingServiceTest {
  private static final long WAIT_SECONDS = 60;

  @Test
  void concurrentRequestsShareForwardPasses() throws Exception {
    try (EmbeddingService service = EmbeddingService.create(
        new InferenceSettings("all-minilm-l6-v2", 32, Duration.ofMillis(20), 1024, 1))) {
      List<CompletableFuture<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(service.embed("message number " + i));
      }
      for (CompletableFuture<float[]> result : results) {
        assertEquals(384, result.get(WAIT_SECONDS, TimeUnit.SECONDS).length);
      }
      InferenceStats.ModelStats stats = service.stats().models().get(0);
      assertEquals(64, stats.texts());
      assertTrue(stats.batches() < 64, "64 requests in " + stats.batches() + " passes");
      assertEquals(64, stats.latency().samples());
      assertTrue(stats.latency().p99Millis() >= stats.latency().p50Millis());
      assertEquals(0, service.stats().queueDepth());
    }
  }

  @Test
  void embedAllKeepsOrderAndOneModel() throws Exception {
    try (EmbeddingService service = EmbeddingService.create(
        new InferenceSettings("all-minilm-l6-v2", 4, Duration.ofMillis(1), 1024, 2))) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        texts.add(i % 2 == 0 ? "show my todo list" : "the weather is sunny");
      }
      Embeddings result = service.embedWithModel(texts).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals("all-minilm-l6-v2", result.model());
      assertEquals(10, result.vectors().size());
      for (int i = 2; i < 10; i++) { // a big request runs as several passes, in order
        assertTrue(Vectors.cosine(result.vectors().get(i), result.vectors().get(i % 2)) > 0.97, "text " + i);
      }
      assertTrue(service.embedAll(List.of()).get().isEmpty());
      String huge = "x".repeat(100_000);
      assertEquals(384, service.embed(huge).get(WAIT_SECONDS, TimeUnit.SECONDS).length);
    }
  }

  @Test
  void fullQueueRefusesAtOnce() throws Exception {
    // The worker gathers for a minute and counts what it gathered as queued, so the queue stays full.
    EmbeddingService service = EmbeddingService.create(
        new InferenceSettings("all-minilm-l6-v2", 64, Duration.ofMinutes(1), 4, 1));
    CompletableFuture<List<float[]>> waiting;
    try {
      waiting = service.embedAll(List.of("one", "two", "three", "four"));
      CompletableFuture<float[]> refused = service.embed("five");

      assertTrue(refused.isCompletedExceptionally(), "refused without waiting");
      var error = assertThrows(ExecutionException.class, refused::get);
      assertInstanceOf(InferenceBusyException.class, error.getCause());
      InferenceStats stats = service.stats();
      assertEquals(4, stats.queueDepth());
      assertEquals(1, stats.models().get(0).refused());
      var tooMany = assertThrows(ExecutionException.class, () -> service.embedAll(Collections.nCopies(5, "x")).get());
      assertInstanceOf(IllegalArgumentException.class, tooMany.getCause());
    } finally {
      service.close(); // runs the gathered batch: nothing accepted is lost
    }
    assertEquals(4, waiting.get(WAIT_SECONDS, TimeUnit.SECONDS).size());
    var stopped = assertThrows(ExecutionException.class, () -> service.embed("late").get());
    assertInstanceOf(InferenceException.class, stopped.getCause());
  }

  @Test
  void switchingModelsUnderLoadLosesNothing() throws Exception {
    List<String> sentences = EmbeddingModelTest.SENTENCES;
    Map<String, List<float[]>> reference = new HashMap<>();
    for (String model : List.of("all-minilm-l6-v2", "bge-small-en-v1.5")) {
      try (EmbeddingModel m = EmbeddingModel.load(model)) {
        List<float[]> vectors = new ArrayList<>();
        for (String sentence : sentences) {
          vectors.add(m.embed(List.of(sentence))[0]);
        }
        reference.put(model, vectors);
      }
    }

    try (EmbeddingService service = EmbeddingService.create(InferenceSettings.defaults())) {
      AtomicBoolean switching = new AtomicBoolean(true);
      Set<String> modelsSeen = ConcurrentHashMap.newKeySet();
      List<Throwable> problems = Collections.synchronizedList(new ArrayList<>());
      int[] answered = new int[4];
      CountDownLatch producersDone = new CountDownLatch(4);
      for (int t = 0; t < 4; t++) {
        int producer = t;
        Thread thread = new Thread(() -> {
          try {
            // At least 200 requests each, and keep going until both switches are over.
            for (int i = 0; i < 200 || switching.get(); i += 10) {
              List<CompletableFuture<Embeddings>> round = new ArrayList<>();
              for (int j = 0; j < 10; j++) {
                round.add(service.embedWithModel(List.of(sentences.get((i + j) % sentences.size()))));
              }
              for (int j = 0; j < 10; j++) {
                Embeddings result = round.get(j).get(WAIT_SECONDS, TimeUnit.SECONDS);
                float[] expected = reference.get(result.model()).get((i + j) % sentences.size());
                double cosine = Vectors.cosine(result.vectors().get(0), expected);
                if (cosine < 0.97) { // batching moves quantized vectors a little; another model's is far away
                  problems.add(new AssertionError(result.model() + " vector off: cosine " + cosine));
                }
                modelsSeen.add(result.model());
                answered[producer]++;
              }
            }
          } catch (Throwable e) {
            problems.add(e);
          } finally {
            producersDone.countDown();
          }
        }, "producer-" + t);
        thread.start();
      }

      service.switchModel("bge-small-en-v1.5").get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals("bge-small-en-v1.5", service.model().name());
      service.switchModel("all-minilm-l6-v2").get(WAIT_SECONDS, TimeUnit.SECONDS);
      switching.set(false);
      assertTrue(producersDone.await(WAIT_SECONDS, TimeUnit.SECONDS));

      assertEquals(List.of(), problems);
      for (int count : answered) {
        assertTrue(count >= 200, "answered " + count);
      }
      assertEquals(Set.of("all-minilm-l6-v2", "bge-small-en-v1.5"), modelsSeen);
      InferenceStats stats = service.stats();
      assertEquals("all-minilm-l6-v2", stats.model().name());
      assertEquals(2, stats.models().size());
      long texts = stats.models().stream().mapToLong(InferenceStats.ModelStats::texts).sum();
      assertEquals(answered[0] + answered[1] + answered[2] + answered[3], texts);
    }
  }

  @Test
  void failedSwitchKeepsTheOldModel() throws Exception {
    try (EmbeddingService service = EmbeddingService.create(InferenceSettings.defaults())) {
      var unknown = assertThrows(ExecutionException.class, () -> service.switchModel("no-such-model").get());
      assertInstanceOf(IllegalArgumentException.class, unknown.getCause());
      assertEquals("all-minilm-l6-v2", service.model().name());
      assertEquals(384, service.embed("still here").get(WAIT_SECONDS, TimeUnit.SECONDS).length);
    }
  }
}
