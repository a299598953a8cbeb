package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkedSenderTest {

  @Test
  void partsGoOutOneAfterTheOtherInOrder() {
    List<String> sent = new ArrayList<>();
    List<Promise<DeliveryResult>> pending = new ArrayList<>();
    Future<DeliveryResult> result = ChunkedSender.send("aaaa bbbb cccc", 5, (text, first, last) -> {
      sent.add(text + (first ? " first" : "") + (last ? " last" : ""));
      Promise<DeliveryResult> answer = Promise.promise();
      pending.add(answer);
      return answer.future();
    });
    assertEquals(List.of("aaaa first"), sent, "the second part waits for the first to be accepted");
    pending.get(0).complete(new DeliveryResult.Delivered("1"));
    pending.get(1).complete(new DeliveryResult.Delivered("2"));
    assertEquals(List.of("aaaa first", "bbbb", "cccc last"), sent);
    pending.get(2).complete(new DeliveryResult.Delivered("3"));
    assertEquals(new DeliveryResult.Delivered("3"), result.result(), "the last part's id");
  }

  @Test
  void theFirstRefusalStopsTheRest() {
    List<String> sent = new ArrayList<>();
    Future<DeliveryResult> result = ChunkedSender.send("aaaa bbbb cccc", 5, (text, first, last) -> {
      sent.add(text);
      return Future.succeededFuture(sent.size() == 2 ? new DeliveryResult.Failed("blocked")
          : new DeliveryResult.Delivered(text));
    });
    assertEquals(List.of("aaaa", "bbbb"), sent);
    assertEquals(new DeliveryResult.Failed("blocked"), result.result());
  }

  @Test
  void anEmptyReplySendsNothing() {
    Future<DeliveryResult> result = ChunkedSender.send("", 5, (text, first, last) -> {
      throw new AssertionError("nothing to send");
    });
    assertInstanceOf(DeliveryResult.Delivered.class, result.result());
    assertTrue(result.succeeded());
  }
}
