package dev.switchboard.channels.slack;

/**
 * The Slack channel's settings.
 *
 * @param botToken the bot token ({@code xoxb-...}) for the Web API
 * @param signingSecret the app's signing secret, which signs every HTTP request from Slack
 * @param apiBaseUrl {@code https://slack.com/api}, or a fake for tests
 */
public record SlackSettings(String botToken, String signingSecret, String apiBaseUrl) {
  @Override
  public String toString() {
    return "SlackSettings[botToken=****, signingSecret=****, apiBaseUrl=" + apiBaseUrl + "]";
  }
}
