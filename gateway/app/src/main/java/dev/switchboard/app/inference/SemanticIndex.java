package dev.switchboard.app.inference;

import dev.switchboard.app.routing.SemanticMatcher;
import dev.switchboard.app.skills.LoadedSkill;
import dev.switchboard.app.skills.SkillRegistry;
import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic routing: every active skill's example utterances (its descriptor's, plus its
 * {@linkplain dev.switchboard.spi.Skill#dynamicExamples dynamic ones}, such as an FAQ's questions) are embedded
 * and kept; a message no command or keyword claimed goes to the skill with the closest example, when that is
 * at least {@code threshold} similar. The examples are looked at every {@link #REFRESH_MS} ms and embedded again
 * when they or the model changed; until then routing goes on with the previous index.
 */
public final class SemanticIndex implements SemanticMatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SemanticIndex.class);
  static final long REFRESH_MS = 2000;
  /** Bounds on what one skill can put in the index. */
  static final int MAX_EXAMPLES_PER_SKILL = 2000;
  static final int MAX_EXAMPLE_CHARS = 500;
  private static final int EMBED_CHUNK = 64;

  /** One example's vector and whose it is. */
  private record Example(String skill, float[] vector) {}

  /** The index as built: for which model, from which texts, and the vectors. */
  private record Built(String model, Map<String, List<String>> texts, List<Example> examples) {}

  private final Vertx vertx;
  private final Embedder embedder;
  private final Supplier<SkillRegistry> skills;
  private final Map<String, JsonObject> skillConfig;
  /** Longest a skill's {@code dynamicExamples} may take; a skill that takes longer is left out from then on. */
  static final long EXAMPLES_TIMEOUT_MS = 5000;

  private final Double configuredThreshold;
  private volatile Built built = new Built(null, Map.of(), List.of());
  private volatile String modelSeen;
  private Future<Void> refreshing;
  private long timer = -1;
  /** Skill versions whose dynamic examples hung; weak, so a replaced plugin is not kept alive by this. */
  private final Set<LoadedSkill> hung = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));
  private final ExecutorService examples = Executors.newCachedThreadPool(
      r -> {
        Thread t = new Thread(r, "skill-examples");
        t.setDaemon(true);
        return t;
      });

  /** @param threshold the least similarity to route on, or {@code null} for each model's own (MatchThresholds) */
  public SemanticIndex(Vertx vertx, Embedder embedder, Supplier<SkillRegistry> skills,
      Map<String, JsonObject> skillConfig, Double threshold) {
    this.vertx = vertx;
    this.embedder = embedder;
    this.skills = skills;
    this.skillConfig = skillConfig;
    this.configuredThreshold = threshold;
  }

  private double threshold(String model) {
    return configuredThreshold != null ? configuredThreshold : MatchThresholds.forModel(model);
  }

  /** Builds the index now and then keeps it current. */
  public void start() {
    refresh();
    timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
  }

  public void stop() {
    vertx.cancelTimer(timer);
    examples.shutdownNow();
  }

  /** The embedding model was switched: embed the examples with it now rather than at the next match. */
  public void modelSwitched(String model) {
    modelSeen = model;
    refresh();
  }

  /** What {@code /admin/inference} shows. */
  public JsonObject describe() {
    Built b = built;
    return new JsonObject().put("model", b.model()).put("threshold", threshold(b.model()))
        .put("examples", b.examples().size()).put("skills", b.texts().size());
  }

  @Override
  public Future<Match> bestMatch(Envelope envelope, List<LoadedSkill> candidates) {
    Built index = built;
    if (index.examples().isEmpty() || envelope.text().isBlank()) {
      return Future.succeededFuture(null);
    }
    Set<String> allowed = new HashSet<>();
    candidates.forEach(c -> allowed.add(c.name()));
    return embedder.embed(List.of(clip(envelope.text())))
        .compose(embeddings -> {
          if (embeddings.model().equals(index.model())) {
            return Future.succeededFuture(best(index, embeddings.vectors().get(0), allowed));
          }
          // The model was switched: embed the examples with it now, then match (a miss is never guessed).
          modelSeen = embeddings.model();
          return refresh().map(v -> {
            Built rebuilt = built;
            return rebuilt.model() != null && rebuilt.model().equals(embeddings.model())
                ? best(rebuilt, embeddings.vectors().get(0), allowed) : null;
          });
        })
        .otherwise(e -> {
          LOG.debug("semantic routing skipped: {}", e.toString());
          return null;
        });
  }

  /** The skill with the closest example above the model's threshold, or {@code null}. */
  private Match best(Built index, float[] message, Set<String> allowed) {
    String best = null;
    double bestScore = threshold(index.model());
    for (Example example : index.examples()) {
      if (!allowed.contains(example.skill())) {
        continue;
      }
      double score = InferenceClient.similarity(message, example.vector());
      if (score > bestScore || score == bestScore && best != null && example.skill().compareTo(best) < 0) {
        best = example.skill();
        bestScore = score;
      }
    }
    return best == null ? null : new Match(best, Math.round(bestScore * 1000) / 1000.0);
  }

  /**
   * Brings the index up to date; a refresh already running is shared. Called from the timer's and the
   * pipeline's event loops, hence the lock (held only to start or finish a refresh).
   */
  private synchronized Future<Void> refresh() {
    if (refreshing != null) {
      return refreshing;
    }
    SkillRegistry registry = skills.get();
    Future<Void> running = vertx.executeBlocking(() -> collect(registry), false)
        .<Void>compose(texts -> {
          Built current = built;
          if (texts.equals(current.texts()) && current.model() != null
              && (modelSeen == null || modelSeen.equals(current.model()))) {
            return Future.succeededFuture();
          }
          return build(texts).<Void>map(next -> {
            built = next;
            modelSeen = next.model();
            LOG.info("semantic index: {} examples of {} skills embedded with {}", next.examples().size(),
                texts.size(), next.model());
            return null;
          });
        })
        .onFailure(e -> LOG.debug("semantic index not refreshed: {}", e.toString()))
        .otherwiseEmpty()
        .onComplete(done -> refreshDone());
    if (!running.isComplete()) {
      refreshing = running;
    }
    return running;
  }

  private synchronized void refreshDone() {
    refreshing = null;
  }

  /** Each active skill's examples, bounded; skills whose dynamic examples fail contribute their static ones. */
  private Map<String, List<String>> collect(SkillRegistry registry) {
    Map<String, List<String>> texts = new TreeMap<>();
    for (LoadedSkill skill : registry.skills()) {
      List<String> examples = new ArrayList<>(skill.descriptor().examples());
      examples.addAll(dynamicExamples(skill));
      List<String> bounded = examples.stream().filter(t -> t != null && !t.isBlank()).map(SemanticIndex::clip)
          .distinct().limit(MAX_EXAMPLES_PER_SKILL).toList();
      if (!bounded.isEmpty()) {
        texts.put(skill.name(), bounded);
      }
    }
    return texts;
  }

  /**
   * A skill's dynamic examples, with its class loader as the context loader; a skill that throws contributes
   * none this time, one that hangs is left out from then on (its thread is abandoned, once per version).
   */
  private List<String> dynamicExamples(LoadedSkill skill) {
    if (hung.contains(skill)) {
      return List.of();
    }
    JsonObject config = skillConfig.getOrDefault(skill.name(), new JsonObject()).copy();
    java.util.concurrent.Future<List<String>> call = examples.submit(() -> {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(skill.plugin().classLoader());
      try {
        List<String> result = skill.skill().dynamicExamples(config);
        return result == null ? List.of() : List.copyOf(result);
      } finally {
        thread.setContextClassLoader(before);
      }
    });
    try {
      return call.get(EXAMPLES_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      hung.add(skill);
      LOG.warn("skill {}: dynamicExamples did not answer within {} ms; its dynamic examples are left out",
          skill.name(), EXAMPLES_TIMEOUT_MS);
    } catch (ExecutionException e) {
      LOG.warn("skill {}: dynamicExamples failed: {}", skill.name(), e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }

  /** Embeds every example, a chunk per request; all vectors must come from one model. */
  private Future<Built> build(Map<String, List<String>> texts) {
    List<String> skillOf = new ArrayList<>();
    List<String> all = new ArrayList<>();
    texts.forEach((skill, examples) -> examples.forEach(e -> {
      skillOf.add(skill);
      all.add(e);
    }));
    if (all.isEmpty()) {
      return Future.succeededFuture(new Built(modelSeen, texts, List.of()));
    }
    Map<Integer, Embedder.Embeddings> chunks = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < all.size(); from += EMBED_CHUNK) {
      int start = from;
      List<String> chunk = all.subList(from, Math.min(all.size(), from + EMBED_CHUNK));
      chain = chain.compose(v -> embedder.embed(chunk).map(e -> {
        chunks.put(start, e);
        return null;
      }));
    }
    return chain.compose(v -> {
      Set<String> models = new HashSet<>();
      chunks.values().forEach(e -> models.add(e.model()));
      if (models.size() != 1) {
        return Future.failedFuture(new IllegalStateException("the model changed while embedding examples"));
      }
      List<Example> examples = new ArrayList<>();
      chunks.forEach((start, e) -> {
        for (int i = 0; i < e.vectors().size(); i++) {
          examples.add(new Example(skillOf.get(start + i), e.vectors().get(i)));
        }
      });
      return Future.succeededFuture(new Built(models.iterator().next(), texts, List.copyOf(examples)));
    });
  }

  private static String clip(String text) {
    return text.length() <= MAX_EXAMPLE_CHARS ? text : text.substring(0, MAX_EXAMPLE_CHARS);
  }
}
