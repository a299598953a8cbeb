package dev.switchboard.inference;

import dev.switchboard.spi.InferenceBusyException;
import dev.switchboard.spi.InferenceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence embeddings for many concurrent callers, batched dynamically: requests wait in one bounded queue, and
 * each worker thread ({@code inference-1}, ...) takes up to {@code maxBatchSize} texts that arrive within
 * {@code maxBatchDelay} of the first and runs them as one forward pass, which costs far less per text than one
 * pass each. When {@code maxQueue} texts are already waiting, a request fails at once with
 * {@link InferenceBusyException} instead of queueing without bound.
 *
 * <p>The model can be switched while running ({@link #switchModel}): the new one loads on its own thread, then
 * replaces the old one atomically; batches already running finish on the old one, which closes after the last.
 * No request fails or is dropped by a switch, and a request's texts always run on one model, so its vectors
 * compare with each other ({@link #embedWithModel} says which model).
 *
 * <p>Every method returns at once and never blocks, except {@link #create} (loads the model) and {@link #close}.
 * Futures complete on an inference thread: add heavy work with the {@code *Async} variants, or, on Vert.x, with
 * {@code Future.fromCompletionStage(stage, context)}.
 */
public final class EmbeddingService implements AutoCloseable {
  /** Longer texts are cut to this many characters before tokenizing (the model reads a few hundred words). */
  public static final int MAX_TEXT_CHARS = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingService.class);
  private static final int PENDING_SWITCHES = 4;
  private static final long STOP_WAIT_SECONDS = 60;

  private final InferenceSettings settings;
  private final LinkedBlockingDeque<PendingRequest> queue = new LinkedBlockingDeque<>();
  private final AtomicInteger queuedTexts = new AtomicInteger();
  private final AtomicReference<SharedModel> current = new AtomicReference<>();
  private final Map<String, ModelMetrics> metrics = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ThreadPoolExecutor loader;
  private volatile boolean closed; // set under the lock, so a model being installed sees it

  private EmbeddingService(InferenceSettings settings, EmbeddingModel first) {
    this.settings = settings;
    this.current.set(new SharedModel(first, metricsFor(first.name())));
    this.workers = Executors.newFixedThreadPool(settings.workers(), threads("inference-"));
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::work);
    }
    this.loader = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PENDING_SWITCHES),
        threads("inference-loader-"));
    loader.allowCoreThreadTimeOut(true);
  }

  /**
   * Loads the configured model and starts the workers. Blocks while the model loads (about a second).
   *
   * @throws IllegalArgumentException when the model names neither a bundled model nor a model folder
   * @throws InferenceException when the model does not load
   */
  public static EmbeddingService create(InferenceSettings settings) throws InferenceException {
    EmbeddingModel first = EmbeddingModel.load(settings.model(), settings.workers());
    LOG.info("embedding service started: model {}, batches of up to {} within {} ms, queue of {}, {} worker(s)",
        first.name(), settings.maxBatchSize(), settings.maxBatchDelay().toMillis(), settings.maxQueue(),
        settings.workers());
    return new EmbeddingService(settings, first);
  }

  /** Embeds one text: a unit-length vector of the current model. */
  public CompletableFuture<float[]> embed(String text) {
    return embedWithModel(Collections.singletonList(text)).thenApply(e -> e.vectors().get(0));
  }

  /** Embeds texts, all with the same model: one unit-length vector per text, in order. */
  public CompletableFuture<List<float[]>> embedAll(List<String> texts) {
    return embedWithModel(texts).thenApply(Embeddings::vectors);
  }

  /**
   * Embeds texts, all with the same model, and says which.
   *
   * @return fails with {@link InferenceBusyException} at once when the queue is full, with
   *     {@link IllegalArgumentException} for a null text or more texts than the queue holds, and with
   *     {@link InferenceException} when the model failed or the service stopped
   */
  public CompletableFuture<Embeddings> embedWithModel(List<String> texts) {
    if (texts == null || texts.stream().anyMatch(Objects::isNull)) { // List.of(...).contains(null) throws
      return CompletableFuture.failedFuture(new IllegalArgumentException("texts must not be null"));
    }
    if (texts.size() > settings.maxQueue()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          texts.size() + " texts in one request; at most " + settings.maxQueue()));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new InferenceException("the embedding service is stopped"));
    }
    if (texts.isEmpty()) {
      ModelInfo model = model();
      return CompletableFuture.completedFuture(new Embeddings(model.name(), model.dimensions(), List.of()));
    }
    if (!reserve(texts.size())) {
      current.get().metrics.refused(texts.size());
      return CompletableFuture.failedFuture(new InferenceBusyException(
          "the embedding queue is full (" + settings.maxQueue() + " texts)"));
    }
    PendingRequest request = new PendingRequest(capped(texts), new CompletableFuture<>(), System.nanoTime());
    queue.offerLast(request);
    if (closed && queue.remove(request)) { // closed meanwhile, and the final drain may have run already
      failWaiting(List.of(request), new InferenceException("the embedding service is stopped"));
    }
    return request.result();
  }

  /**
   * Loads another model (a bundled name or a folder path) off the request path, then answers with it.
   * Requests keep being answered by the old model meanwhile, and none fails because of the switch.
   *
   * @return completes once the new model answers; fails with {@link IllegalArgumentException} for an unknown
   *     model, {@link InferenceException} when it does not load (the old one stays), and
   *     {@link InferenceBusyException} when too many switches are pending
   */
  public CompletableFuture<Void> switchModel(String nameOrPath) {
    CompletableFuture<Void> switched = new CompletableFuture<>();
    try {
      loader.execute(() -> {
        try {
          if (closed) { // queued before close: do not load a model only to close it
            throw new InferenceException("the embedding service is stopped");
          }
          install(EmbeddingModel.load(nameOrPath, settings.workers()));
          switched.complete(null);
        } catch (Throwable e) {
          switched.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      switched.completeExceptionally(closed
          ? new InferenceException("the embedding service is stopped")
          : new InferenceBusyException("too many model switches pending (" + PENDING_SWITCHES + ")"));
    }
    return switched;
  }

  /** The model answering now. */
  public ModelInfo model() {
    return current.get().info();
  }

  /** The settings it runs with. */
  public InferenceSettings settings() {
    return settings;
  }

  /** Counters, queue depth and recent latencies; cheap enough to take on every scrape. */
  public InferenceStats stats() {
    List<InferenceStats.ModelStats> models = new ArrayList<>();
    metrics.values().forEach(m -> models.add(m.snapshot()));
    models.sort(Comparator.comparing(InferenceStats.ModelStats::model));
    return new InferenceStats(model(), Math.max(0, queuedTexts.get()), settings.maxQueue(), models);
  }

  /**
   * Stops: batches running finish, requests still waiting fail with {@link InferenceException}, and the model
   * is closed. Blocks until the workers end.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (int i = 0; i < settings.workers(); i++) {
      queue.offerFirst(PendingRequest.STOP); // ahead of waiting requests: stop soon, not after the backlog
    }
    workers.shutdown();
    loader.shutdown();
    awaitQuietly(workers);
    List<PendingRequest> left = new ArrayList<>();
    queue.drainTo(left);
    left.removeIf(r -> r == PendingRequest.STOP);
    failWaiting(left, new InferenceException("the embedding service is stopped"));
    awaitQuietly(loader);
    current.get().release();
    LOG.info("embedding service stopped");
  }

  /** Replaces the current model; the old one closes when its last batch ends. */
  private void install(EmbeddingModel loaded) throws InferenceException {
    SharedModel previous;
    synchronized (this) {
      if (closed) {
        loaded.close();
        throw new InferenceException("the embedding service is stopped");
      }
      previous = current.getAndSet(new SharedModel(loaded, metricsFor(loaded.name())));
    }
    LOG.info("embedding model switched from {} to {}", previous.model.name(), loaded);
    previous.release();
  }

  private boolean reserve(int texts) {
    while (true) {
      int queued = queuedTexts.get();
      if (queued + texts > settings.maxQueue()) {
        return false;
      }
      if (queuedTexts.compareAndSet(queued, queued + texts)) {
        return true;
      }
    }
  }

  /** One worker: gathers a batch, runs it, repeats until told to stop. */
  private void work() {
    PendingRequest carried = null; // taken but too big for the last batch: first in the next one
    try {
      while (true) {
        PendingRequest first = carried != null ? carried : queue.takeFirst();
        carried = null;
        if (first == PendingRequest.STOP) {
          return;
        }
        List<PendingRequest> batch = new ArrayList<>();
        batch.add(first);
        int size = first.size();
        boolean stop = false;
        long deadline = System.nanoTime() + settings.maxBatchDelay().toNanos();
        while (size < settings.maxBatchSize()) {
          long wait = deadline - System.nanoTime();
          PendingRequest next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
          if (next == null) {
            break;
          }
          if (next == PendingRequest.STOP) {
            stop = true;
            break;
          }
          if (size + next.size() > settings.maxBatchSize()) {
            carried = next;
            break;
          }
          batch.add(next);
          size += next.size();
        }
        run(batch, size);
        if (stop) {
          if (carried != null) {
            queue.offerFirst(carried); // failed by close() with the rest of the queue
          }
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a batch on one model: in one forward pass, or in passes of at most maxBatchSize for a big request. */
  private void run(List<PendingRequest> batch, int size) {
    queuedTexts.addAndGet(-size); // no longer waiting: room for new requests while this batch runs
    SharedModel shared = acquireCurrent();
    try {
      List<String> texts = new ArrayList<>(size);
      batch.forEach(r -> texts.addAll(r.texts()));
      List<float[]> vectors = new ArrayList<>(size);
      for (int from = 0; from < size; from += settings.maxBatchSize()) {
        List<String> pass = texts.subList(from, Math.min(size, from + settings.maxBatchSize()));
        vectors.addAll(List.of(shared.model.embed(pass)));
        shared.metrics.batchRan(pass.size());
      }
      complete(batch, vectors, shared);
    } catch (InferenceException e) {
      LOG.warn("a batch of {} text(s) failed: {}", size, e.getMessage());
      fail(batch, e);
    } catch (RuntimeException | Error e) {
      // Even an Error (out of memory in native code, a linkage problem) fails only this batch: the worker
      // lives on, or every later request would wait for nothing.
      LOG.warn("a batch of {} text(s) failed", size, e);
      fail(batch, new InferenceException("embedding failed: " + e, e));
    } finally {
      shared.release();
    }
  }

  private void complete(List<PendingRequest> batch, List<float[]> vectors, SharedModel shared) {
    ModelInfo model = shared.info();
    long now = System.nanoTime();
    int from = 0;
    for (PendingRequest request : batch) {
      List<float[]> own = vectors.subList(from, from + request.size());
      from += request.size();
      shared.metrics.requestDone(now - request.enqueuedNanos());
      request.result().complete(new Embeddings(model.name(), model.dimensions(), own));
    }
  }

  /** The current model, with a reference held; a model being replaced right now is skipped for the new one. */
  private SharedModel acquireCurrent() {
    while (true) {
      SharedModel shared = current.get();
      if (shared.tryAcquire()) {
        return shared;
      }
    }
  }

  /** Fails requests still counted as queued. */
  private void failWaiting(List<PendingRequest> requests, Throwable error) {
    for (PendingRequest request : requests) {
      queuedTexts.addAndGet(-request.size());
    }
    fail(requests, error);
  }

  private static void fail(List<PendingRequest> requests, Throwable error) {
    requests.forEach(request -> request.result().completeExceptionally(error));
  }

  private ModelMetrics metricsFor(String model) {
    return metrics.computeIfAbsent(model, ModelMetrics::new);
  }

  /** Cuts over-long texts, so a huge message costs no more than a long one to tokenize. */
  private static List<String> capped(List<String> texts) {
    List<String> capped = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (text.length() <= MAX_TEXT_CHARS) {
        capped.add(text);
      } else {
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        capped.add(text.substring(0, end));
      }
    }
    return capped;
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("inference threads still busy after {} s", STOP_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Named daemon threads: they show up in thread dumps as inference work, and never keep the JVM alive. */
  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
