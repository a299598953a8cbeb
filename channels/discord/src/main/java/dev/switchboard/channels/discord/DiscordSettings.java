package dev.switchboard.channels.discord;

/**
 * The Discord channel's settings.
 *
 * @param applicationId the application's id (Developer Portal → General Information)
 * @param publicKey the application's Ed25519 public key, 64 hex digits: interactions are signed with its key
 * @param botToken the bot's token, or {@code null}: used only to post in the channel once an interaction's own
 *     token (valid 15 minutes) has expired
 * @param apiBaseUrl {@code https://discord.com/api/v10}, or a fake for tests
 */
public record DiscordSettings(String applicationId, String publicKey, String botToken, String apiBaseUrl) {

  @Override
  public String toString() {
    return "DiscordSettings[applicationId=" + applicationId + ", botToken=" + (botToken == null ? "none" : "****")
        + "]";
  }
}
