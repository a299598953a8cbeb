package dev.switchboard.app.skills;

/** A plugin that could not be loaded; the message says why, in words an author can act on. */
public final class PluginLoadException extends Exception {
  public PluginLoadException(String reason) {
    super(reason, null, false, false);
  }
}
