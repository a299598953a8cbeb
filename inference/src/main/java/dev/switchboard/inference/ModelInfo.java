package dev.switchboard.inference;

/**
 * Which model answers.
 *
 * @param name its name: a bundled model's, or a model folder's absolute path
 * @param dimensions the length of its vectors
 */
public record ModelInfo(String name, int dimensions) {}
