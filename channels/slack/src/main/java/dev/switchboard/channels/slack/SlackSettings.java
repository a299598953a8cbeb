package dev.switchboard.channels.slack;

/**
 * The Slack channel's settings.
 *
 * @param botToken the bot token ({@code xoxb-...}) for the Web API
 * @param signingSecret the app's signing secret, which signs every HTTP request from Slack
 * @param appToken the app-level token ({@code xapp-...}) for Socket Mode, or {@code null} for HTTP only
 * @param apiBaseUrl {@code https://slack.com/api}, or a fake for tests
 */
public record SlackSettings(String botToken, String signingSecret, String appToken, String apiBaseUrl) {
  /** Socket Mode: events come over a WebSocket the gateway opens, so no public URL is needed. */
  public boolean socketMode() {
    return appToken != null;
  }

  @Override
  public String toString() {
    return "SlackSettings[botToken=****, signingSecret=****, appToken=****, apiBaseUrl=" + apiBaseUrl + "]";
  }
}
