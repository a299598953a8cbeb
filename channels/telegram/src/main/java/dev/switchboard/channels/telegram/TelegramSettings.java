package dev.switchboard.channels.telegram;

/**
 * The Telegram channel's settings.
 *
 * @param token the bot token from BotFather
 * @param mode {@code polling} (getUpdates) or {@code webhook}
 * @param webhookUrl the public URL registered with setWebhook in webhook mode, or {@code null}
 * @param webhookSecret checked against {@code X-Telegram-Bot-Api-Secret-Token}, or {@code null}
 * @param apiBaseUrl {@code https://api.telegram.org}, or a fake for tests
 */
public record TelegramSettings(String token, String mode, String webhookUrl, String webhookSecret,
    String apiBaseUrl) {

  public boolean polling() {
    return "polling".equals(mode);
  }

  @Override
  public String toString() {
    return "TelegramSettings[mode=" + mode + ", token=****]";
  }
}
