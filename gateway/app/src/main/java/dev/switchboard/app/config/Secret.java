package dev.switchboard.app.config;

/** A secret setting: its value never appears in logs, banners or error messages. */
public record Secret(String value) {
  @Override
  public String toString() {
    return "****";
  }
}
