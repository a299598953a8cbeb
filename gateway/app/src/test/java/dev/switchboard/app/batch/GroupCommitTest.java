package dev.switchboard.app.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit with a writer that records its batches and answers when told, like a database would. */
class GroupCommitTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final List<Promise<List<String>>> writes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Future<List<String>> write(List<Integer> items) {
    batches.add(items);
    Promise<List<String>> written = Promise.promise();
    writes.add(written);
    return written.future();
  }

  private static List<String> answers(List<Integer> items) {
    return items.stream().map(i -> "row " + i).toList();
  }

  @Test
  void aLoneItemIsWrittenAtOnceAndLaterOnesShareTheNextWrite() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(vertx, "items", new GroupCommit.Limits(100, 1, 1000),
        this::write);
    List<Future<String>> results = new ArrayList<>();
    results.add(commit.submit(1));
    for (int i = 2; i <= 5; i++) {
      results.add(commit.submit(i)); // the first write is in flight: these wait and go together
    }
    assertEquals(List.of(List.of(1)), batches);
    writes.get(0).complete(answers(batches.get(0)));
    assertEquals(List.of(List.of(1), List.of(2, 3, 4, 5)), batches);
    writes.get(1).complete(answers(batches.get(1)));
    for (int i = 0; i < 5; i++) {
      assertEquals("row " + (i + 1), results.get(i).await(), "each caller hears its own answer");
    }
  }

  @Test
  void batchesStayWithinTheirLimit() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(vertx, "items", new GroupCommit.Limits(3, 1, 1000),
        this::write);
    for (int i = 1; i <= 8; i++) {
      commit.submit(i);
    }
    writes.get(0).complete(answers(batches.get(0)));
    writes.get(1).complete(answers(batches.get(1)));
    writes.get(2).complete(answers(batches.get(2)));
    assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5, 6, 7), List.of(8)), batches);
  }

  @Test
  void aFailedBatchIsWrittenAgainItemByItemSoOneBadItemFailsOnlyItself() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(vertx, "items", new GroupCommit.Limits(100, 1, 1000),
        this::write);
    Future<String> first = commit.submit(1);
    Future<String> good = commit.submit(12);
    Future<String> bad = commit.submit(13);
    Future<String> other = commit.submit(14);
    writes.get(0).complete(answers(batches.get(0)));
    assertEquals(List.of(12, 13, 14), batches.get(1));
    writes.get(1).fail(new IllegalArgumentException("bad item 13"));
    assertEquals(List.of(List.of(12), List.of(13), List.of(14)), batches.subList(2, 5));
    writes.get(2).complete(answers(batches.get(2)));
    writes.get(3).fail(new IllegalArgumentException("bad item 13"));
    writes.get(4).complete(answers(batches.get(4)));
    assertEquals("row 1", first.await());
    assertEquals("row 12", good.await());
    assertEquals("row 14", other.await());
    assertEquals("bad item 13", bad.transform(ar -> Future.succeededFuture(ar.cause().getMessage())).await());
  }

  @Test
  void whenTooManyWaitTheNextIsRefusedWithRetryAfter() {
    GroupCommit<Integer, String> commit = new GroupCommit<>(vertx, "items", new GroupCommit.Limits(10, 1, 2),
        this::write);
    commit.submit(1); // in flight
    commit.submit(2);
    commit.submit(3);
    Future<String> refused = commit.submit(4);
    assertTrue(refused.failed());
    ApiError error = (ApiError) refused.cause();
    assertEquals(503, error.status());
  }
}
