package dev.switchboard.channels.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.channels.ApiError;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackTargetsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void onlyPublicAddressesAreReachable() throws Exception {
    for (String address : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254",
        "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fd00:ec2::254", "224.0.0.1")) {
      assertFalse(CallbackTargets.isPublic(InetAddress.getByName(address)), address);
    }
    for (String address : List.of("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111")) {
      assertTrue(CallbackTargets.isPublic(InetAddress.getByName(address)), address);
    }
  }

  @Test
  void theAllowListOpensHostsAndBlocks() {
    CallbackTargets none = new CallbackTargets(vertx, List.of());
    CallbackTargets allowed = new CallbackTargets(vertx, List.of("127.0.0.0/8", "localhost"));
    ApiError refused = (ApiError) awaitFailure(none, "http://127.0.0.1:9/hook");
    assertEquals(400, refused.status());
    assertEquals("forbidden_callback", refused.toJson().getJsonObject("error").getString("code"));
    assertEquals("127.0.0.1", allowed.resolve("http://127.0.0.1:9/hook").await().getHostAddress());
    assertTrue(allowed.resolve("http://localhost:9/hook").await().isLoopbackAddress(), "by name");
    assertEquals(400, ((ApiError) awaitFailure(allowed, "http://10.0.0.1/hook")).status(), "not in the list");
  }

  private static Throwable awaitFailure(CallbackTargets targets, String url) {
    try {
      targets.resolve(url).await();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError(url + " was not refused");
  }
}
