package dev.switchboard.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channels.ApiError;
import dev.switchboard.channels.InboundEndpoint;
import io.vertx.core.buffer.Buffer;

/** Any bytes as a (verified) Slack event, slash command form or interaction: something to record, or a 400. */
class SlackFuzzTest {
  private static final SlackRequestVerifier VERIFIER = new SlackRequestVerifier("test-signing-secret");
  private static final SlackEventsHandler EVENTS = new SlackEventsHandler(null, VERIFIER, () -> "U0BOT");
  private static final SlackCommandsHandler COMMANDS = new SlackCommandsHandler(null, VERIFIER, url -> true);
  private static final SlackInteractivityHandler INTERACTIONS = new SlackInteractivityHandler(null, VERIFIER);

  @FuzzTest(maxDuration = "30s")
  void event(byte[] body) {
    read(EVENTS, body);
  }

  @FuzzTest(maxDuration = "30s")
  void command(byte[] body) {
    read(COMMANDS, body);
  }

  @FuzzTest(maxDuration = "30s")
  void interaction(byte[] body) {
    read(INTERACTIONS, body);
  }

  private static void read(InboundEndpoint.Platform platform, byte[] body) {
    try {
      platform.read(null, Buffer.buffer(body));
    } catch (ApiError refused) {
      assertEquals(400, refused.status());
    }
  }
}
