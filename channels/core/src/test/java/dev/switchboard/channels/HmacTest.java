package dev.switchboard.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacTest {
  /** Slack's published example of a signed slash command. */
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
      + "&command=%2Fwebhook-collect&text="
      + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  @Test
  void signsThePartsInOrderLikeSlack() {
    Hmac hmac = new Hmac(SECRET);
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertEquals(SIGNATURE.substring(3), hmac.hex(Hmac.ascii("v0:1531420618:"), body));
    assertTrue(hmac.matches(SIGNATURE, "v0=", Hmac.ascii("v0:1531420618:"), body));
    assertTrue(hmac.matches(SIGNATURE.toUpperCase().replace("V0=", "v0="), "v0=", Hmac.ascii("v0:1531420618:"), body),
        "hex in upper case is the same signature");
  }

  @Test
  void refusesAnythingElse() {
    Hmac hmac = new Hmac(SECRET);
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertFalse(hmac.matches(SIGNATURE, "v0=", Hmac.ascii("v0:1531420619:"), body), "another timestamp");
    assertFalse(hmac.matches(SIGNATURE, "v0=", Hmac.ascii("v0:1531420618:"), (BODY + "x").getBytes()), "another body");
    assertFalse(hmac.matches(SIGNATURE.substring(3), "v0=", Hmac.ascii("v0:1531420618:"), body), "no prefix");
    assertFalse(hmac.matches(null, "v0=", body), "no header");
    assertFalse(new Hmac("another secret").matches(SIGNATURE, "v0=", Hmac.ascii("v0:1531420618:"), body));
  }
}
