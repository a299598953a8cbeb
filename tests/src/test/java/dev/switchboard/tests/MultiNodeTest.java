package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two gateways share one PostgreSQL, each with its own Redis: a conversation moves between them and never
 * loses or repeats a turn, even though each node's Redis holds a stale copy of the session.
 */
class MultiNodeTest {

  @Test
  void conversationContinuesOnAnotherNode() throws Exception {
    try (GatewayProcess a = GatewayProcess.start("node-a", Map.of())) {
      try (GatewayProcess b = GatewayProcess.start("node-b", Map.of("SWITCHBOARD_POSTGRES_URL", a.postgresUrl()))) {
        Api nodeA = new Api(a);
        Api nodeB = new Api(b);
        String who = "roaming-" + System.nanoTime();
        assertEquals("What should I add?", nodeA.send(who, "/todo add").replyText());
        assertEquals("Added \"milk\". You have 1 item.", nodeB.send(who, "milk").replyText());
        // node a still has the session from before "milk" in its Redis: it must notice and read it again
        assertEquals("Added \"eggs\". You have 2 items.", nodeA.send(who, "/todo add eggs").replyText());
        assertEquals("Done: \"milk\". 1 left.", nodeB.send(who, "/todo done 1").replyText());
        assertEquals("Your list:\n1. eggs", nodeA.send(who, "/todo list").replyText());
        assertEquals("Your list:\n1. eggs", nodeB.send(who, "/todo list").replyText());
      }
    }
  }
}
