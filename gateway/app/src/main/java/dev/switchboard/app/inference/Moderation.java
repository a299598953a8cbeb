package dev.switchboard.app.inference;

import dev.switchboard.spi.Envelope;
import dev.switchboard.spi.InferenceClient;
import dev.switchboard.spi.TimeBoundedText;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety step before any skill: a message that contains a blocked keyword (whole words) or matches a
 * blocked pattern is refused, and so is one whose meaning is close to a listed example (when the embedding
 * model runs). A refused message gets {@link Settings#reply()} and reaches no skill.
 */
public final class Moderation {
  private static final Logger LOG = LoggerFactory.getLogger(Moderation.class);

  /**
   * @param blockedKeywords refused when present as whole words, any case
   * @param blockedPatterns refused when found anywhere (case-insensitive)
   * @param blockedExamples refused when the message is at least {@code threshold} similar to one
   * @param threshold similarity from 0 to 1
   * @param reply what the sender is told
   */
  public record Settings(List<String> blockedKeywords, List<Pattern> blockedPatterns, List<String> blockedExamples,
      double threshold, String reply) {
    /** {@code true} when nothing is configured: the step is skipped. */
    public boolean off() {
      return blockedKeywords.isEmpty() && blockedPatterns.isEmpty() && blockedExamples.isEmpty();
    }
  }

  /** Why a message was refused: {@code rule} is keyword, pattern or example; {@code score} for examples. */
  public record Verdict(String rule, Double score) {}

  private final Settings settings;
  private final Embedder embedder;
  private Future<Embedder.Embeddings> examples;

  /** @param embedder {@code null} when no embedding model runs (the example list is then not checked) */
  public Moderation(Settings settings, Embedder embedder) {
    this.settings = settings;
    this.embedder = embedder;
  }

  public Settings settings() {
    return settings;
  }

  /** The verdict for a message, or {@code null} when it may go on. Never fails. */
  public Future<Verdict> check(Envelope envelope) {
    if (settings.off()) {
      return Future.succeededFuture(null);
    }
    String text = envelope.text();
    String lower = text.toLowerCase(Locale.ROOT);
    for (String keyword : settings.blockedKeywords()) {
      if (dev.switchboard.spi.Skill.containsWord(lower, keyword)) {
        return Future.succeededFuture(new Verdict("keyword", null));
      }
    }
    for (Pattern pattern : settings.blockedPatterns()) {
      try {
        if (pattern.matcher(TimeBoundedText.of(text)).find()) {
          return Future.succeededFuture(new Verdict("pattern", null));
        }
      } catch (TimeBoundedText.Expired e) {
        // A pattern this slow on this text is refused as a precaution: it cannot be decided in time.
        LOG.warn("moderation pattern {} ran out of time on a message; refusing it", pattern.pattern());
        return Future.succeededFuture(new Verdict("pattern", null));
      }
    }
    if (settings.blockedExamples().isEmpty() || embedder == null || text.isBlank()) {
      return Future.succeededFuture(null);
    }
    return embedder.embed(List.of(text))
        .compose(message -> exampleVectors(message.model()).map(known -> {
          if (known == null) {
            return null; // the model changed again meanwhile: this message is not compared
          }
          double best = -1;
          for (float[] example : known.vectors()) {
            best = Math.max(best, InferenceClient.similarity(message.vectors().get(0), example));
          }
          return best >= settings.threshold() ? new Verdict("example", Math.round(best * 1000) / 1000.0) : null;
        }))
        .otherwise(e -> {
          // Fails open on the examples only (the model is busy or down); keywords and patterns already ran.
          LOG.warn("moderation by example skipped: {}", e.toString());
          return null;
        });
  }

  /**
   * The examples' vectors from {@code model}, embedded once per model (callers at the same time share the
   * request); {@code null} when the model changed while they were embedded.
   */
  private synchronized Future<Embedder.Embeddings> exampleVectors(String model) {
    Future<Embedder.Embeddings> known = examples;
    if (known != null && (!known.isComplete() || known.succeeded() && model.equals(known.result().model()))) {
      return known.map(e -> model.equals(e.model()) ? e : null);
    }
    Future<Embedder.Embeddings> embedding = embedder.embed(settings.blockedExamples());
    examples = embedding;
    return embedding.map(e -> model.equals(e.model()) ? e : null);
  }
}
