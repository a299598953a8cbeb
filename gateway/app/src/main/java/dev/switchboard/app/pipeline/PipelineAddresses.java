package dev.switchboard.app.pipeline;

/** The event-bus addresses of the pipeline, and what travels on them. All are local to one node. */
public final class PipelineAddresses {
  /** Body: a conversation key ({@code channel:id}) that has new work. Sent by ingress to the pipeline. */
  public static final String CONVERSATION_READY = "switchboard.pipeline.conversation-ready";

  /** Body: none. Sent after a turn committed replies that need delivery. */
  public static final String OUTBOX_READY = "switchboard.outbox.ready";

  private PipelineAddresses() {}
}
