package dev.switchboard.channels.whatsapp;

/**
 * The WhatsApp Cloud API channel's settings.
 *
 * @param accessToken the Graph API access token
 * @param appSecret the Meta app secret, which signs every webhook POST
 * @param verifyToken the token Meta echoes when verifying the webhook
 * @param phoneNumberId the business phone number's id
 * @param apiBaseUrl {@code https://graph.facebook.com/v23.0}, or a fake for tests
 */
public record WhatsAppSettings(String accessToken, String appSecret, String verifyToken, String phoneNumberId,
    String apiBaseUrl) {
  @Override
  public String toString() {
    return "WhatsAppSettings[phoneNumberId=" + phoneNumberId + ", tokens=****]";
  }
}
