package dev.switchboard.channels;

/**
 * The outcome of recording an inbound message.
 *
 * @param duplicate {@code true} when the message had been recorded before (same channel and id): it is not
 *     handled again
 */
public record Admission(boolean duplicate) {}
