package dev.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No "local means trusted": the admin token always, loopback-only messages, proxies that must be trusted. */
class SecurityTest {

  @Test
  void adminNeedsItsTokenAndAProxiedCallerIsNeverLocal() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GatewayProcess gateway = GatewayProcess.start("security", Map.of())) {
      Api api = new Api(gateway);

      // the first start generates the admin token, keeps it owner-only and shows it once
      String token = gateway.adminToken();
      assertEquals(64, token.length());
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(gateway.dataDir().resolve("admin-token"))));
      assertTrue(gateway.stdout().contains("admin:    " + token + " (generated now"), gateway.stdout());
      assertTrue(gateway.stdout().contains("callers on this machine only"), "the banner says /v1 is local only");

      // from this very machine, without the token: nothing admin
      for (String path : new String[] {"/admin/skills", "/metrics", "/admin/inference"}) {
        Api.Answer refused = api.send(java.net.http.HttpRequest.newBuilder(api.uri(path)).build());
        assertEquals(401, refused.status(), path);
        assertEquals("unauthenticated", refused.json().getJsonObject("error").getString("code"));
      }
      assertEquals(401, api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/skills"))
          .header("Authorization", "Bearer " + "0".repeat(64)).build()).status(), "a wrong token");
      assertEquals(200, api.get("/admin/skills").status(), "with the token");
      Api.Answer ready = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/health/ready")).build());
      assertEquals(new io.vertx.core.json.JsonObject().put("status", "ready"), ready.json(),
          "anyone may ask whether the node is ready; the reasons, when it is not, are for admin callers");

      // a reverse proxy on this host that the gateway does not trust: its callers are not local
      HttpServer proxy = proxy(vertx, gateway, "203.0.113.9");
      assertEquals(403, through(vertx, proxy, "/v1/messages"), "relayed: not a local caller");
      assertEquals(401, through(vertx, proxy, "/admin/skills"));
      assertEquals(200, api.send("alice", "/help").status(), "a direct local caller is served");

      // callback_url may not lead the gateway to this host, the private network or a metadata service
      for (String target : new String[] {"http://127.0.0.1:6379/", "http://localhost:5432/x", "http://[::1]:8080/",
          "http://10.1.2.3/hook", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
          "http://0.0.0.0:8080/", "http://[::ffff:127.0.0.1]/"}) {
        Api.Answer refused = api.post("/v1/messages?wait=0", new io.vertx.core.json.JsonObject()
            .put("sender", new io.vertx.core.json.JsonObject().put("id", "mallory")).put("text", "hi")
            .put("callback_url", target));
        assertEquals(400, refused.status(), target);
        assertEquals("forbidden_callback", refused.json().getJsonObject("error").getString("code"), target);
      }
      assertEquals("0", gateway.queryOne("SELECT count(*) FROM inbound_messages WHERE conversation LIKE '%mallory'"),
          "nothing refused was recorded");

      // Content-Length and Transfer-Encoding together: refused, whatever the parser would make of it
      String smuggled = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
      assertTrue(raw(gateway, smuggled).startsWith("HTTP/1.1 400"), "CL + TE");

      // the embedded servers let in only who knows their generated passwords (kept owner-only)
      for (String file : new String[] {"postgres-password", "redis-password", "redis/redis.conf"}) {
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(gateway.dataDir().resolve(file))), file);
      }
      String withPassword = gateway.postgresUrl();
      String withoutPassword = withPassword.replaceFirst("postgres:[0-9a-f]+@", "postgres@");
      assertTrue(refused(withoutPassword), "PostgreSQL without a password");
      assertTrue(refused(withPassword.replaceFirst(":[0-9a-f]+@", ":guess@")), "PostgreSQL with a wrong password");
      String redisPort = gateway.redisUrl().replaceFirst(".*:", "");
      assertTrue(raw("127.0.0.1", Integer.parseInt(redisPort), "PING\r\n").startsWith("-NOAUTH"),
          "Redis without a password");
      assertEquals("1", gateway.queryOne("SELECT 1"), "with the password, as the gateway connects");

      // erasure: a conversation's messages, replies and session go everywhere, and nothing comes back from memory
      assertEquals("Added \"milk\". You have 1 item.", api.send("carol", "/todo add milk").replyText());
      assertEquals(401, api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/conversations/webhook/carol"))
          .DELETE().build()).status(), "erasing is for admin callers");
      Api.Answer erased = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/admin/conversations/webhook/carol"))
          .header("Authorization", "Bearer " + token).DELETE().build());
      assertEquals(200, erased.status(), erased.raw().body());
      assertEquals(1, erased.json().getJsonObject("erased").getInteger("messages"));
      for (String table : new String[] {"inbound_messages", "outbox", "sessions"}) {
        assertEquals("0", gateway.queryOne("SELECT count(*) FROM " + table + " WHERE conversation = 'webhook:carol'"),
            table);
      }
      assertTrue(raw("127.0.0.1", Integer.parseInt(redisPort), "AUTH " + gateway.redisUrl().replaceAll(".*//:|@.*", "")
          + "\r\nEXISTS sb:session:webhook:carol\r\n").contains(":0"), "the hot copy in Redis is gone too");
      assertEquals("Your list is empty. Add something with /todo add <item>.",
          api.send("carol", "/todo list").replyText(), "the node's memory forgot it as well");

      // retention: what is older than retention.days goes, the rest stays
      api.send("dave", "/todo add tea");
      gateway.queryOne("UPDATE inbound_messages SET received_at = now() - interval '40 days' "
          + "WHERE conversation = 'webhook:dave'");
      gateway.queryOne("UPDATE outbox SET created_at = now() - interval '40 days' WHERE conversation = 'webhook:dave'");
      gateway.queryOne("UPDATE sessions SET updated_at = now() - interval '40 days' WHERE conversation = 'webhook:dave'");
      Api.Answer pruned = api.post("/admin/retention/run", "", Map.of());
      assertEquals(200, pruned.status(), pruned.raw().body());
      assertEquals("0", gateway.queryOne("SELECT count(*) FROM inbound_messages WHERE conversation = 'webhook:dave'"));
      assertEquals("0", gateway.queryOne("SELECT count(*) FROM sessions WHERE conversation = 'webhook:dave'"));
      assertEquals("1", gateway.queryOne("SELECT count(*) FROM sessions WHERE conversation = 'webhook:carol'"),
          "younger conversations stay");

      // later starts do not show the token again
      gateway.terminate(java.time.Duration.ofSeconds(60));
      gateway.restart();
      assertFalse(gateway.stdout().contains(token), "shown once, at the first start");
      assertTrue(gateway.stdout().contains("admin-token"), gateway.stdout());
      assertEquals(token, gateway.adminToken(), "kept");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void behindATrustedProxyTheForwardedClientCountsAndASlowBodyIsCutOff() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GatewayProcess gateway = GatewayProcess.start("security-proxy",
        Map.of("SWITCHBOARD_HTTP_TRUSTED_PROXIES", "127.0.0.1", "SWITCHBOARD_HTTP_REQUEST_TIME_LIMIT", "3s"))) {
      // a body trickled one byte a second is answered 408 once the request's time is up, and the connection closed
      try (Socket socket = new Socket("127.0.0.1", gateway.uri("/").getPort())) {
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        String answer = "";
        for (int i = 0; i < 12 && answer.isEmpty(); i++) {
          Thread.sleep(1000);
          try {
            out.write(' ');
            out.flush();
          } catch (java.io.IOException closed) {
            break; // the gateway closed the connection after its answer
          }
          if (socket.getInputStream().available() > 0) {
            byte[] buffer = new byte[256];
            int n = socket.getInputStream().read(buffer);
            answer = new String(buffer, 0, Math.max(0, n), StandardCharsets.US_ASCII);
          }
        }
        if (answer.isEmpty()) {
          byte[] buffer = new byte[256];
          int n = socket.getInputStream().read(buffer);
          answer = n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "cut off after the 3 s limit, not later");
      }

      HttpServer fromInternet = proxy(vertx, gateway, "203.0.113.9");
      HttpServer fromHost = proxy(vertx, gateway, "127.0.0.1");
      assertEquals(403, through(vertx, fromInternet, "/v1/messages"), "the forwarded client is not local");
      assertEquals(200, through(vertx, fromHost, "/v1/messages"), "the forwarded client is this machine");
      assertEquals(401, through(vertx, fromHost, "/metrics"), "and still no admin without the token");
    } finally {
      vertx.close().await();
    }
  }

  /** A loopback reverse proxy in front of the gateway that adds {@code X-Forwarded-For: client}. */
  private static HttpServer proxy(Vertx vertx, GatewayProcess gateway, String client) {
    HttpClient upstream = vertx.createHttpClient();
    int port = gateway.uri("/").getPort();
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body ->
        upstream.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(port)
                .setURI(req.uri()).setHeaders(req.headers().copy().add("X-Forwarded-For", client))
                .setTimeout(30_000))
            .compose(out -> out.send(body))
            .onSuccess(answer -> answer.body().onSuccess(b -> req.response().setStatusCode(answer.statusCode())
                .end(b)))
            .onFailure(e -> req.response().setStatusCode(502).end())))
        .listen(0, "127.0.0.1").await();
  }

  /** The status of a message (or a GET of another path) sent through {@code proxy}. */
  private static int through(Vertx vertx, HttpServer proxy, String path) {
    HttpClient client = vertx.createHttpClient();
    boolean post = path.equals("/v1/messages");
    return client.request(new RequestOptions().setMethod(post ? io.vertx.core.http.HttpMethod.POST
            : io.vertx.core.http.HttpMethod.GET).setHost("127.0.0.1").setPort(proxy.actualPort()).setURI(path)
            .putHeader("Content-Type", "application/json").setTimeout(30_000))
        .compose(req -> post ? req.send("{\"sender\":{\"id\":\"eve\"},\"text\":\"/help\"}") : req.send())
        .compose(response -> response.body().map(b -> response.statusCode()))
        .await();
  }

  /** Whether PostgreSQL refuses a login with {@code url}. */
  private static boolean refused(String url) {
    Vertx vertx = Vertx.vertx();
    try {
      io.vertx.pgclient.PgConnection.connect(vertx, io.vertx.pgclient.PgConnectOptions.fromUri(url)).await().close();
      return false;
    } catch (Exception e) {
      return e.getMessage() != null && e.getMessage().contains("password authentication failed");
    } finally {
      vertx.close().await();
    }
  }

  private static String raw(GatewayProcess gateway, String request) throws Exception {
    return raw("127.0.0.1", gateway.uri("/").getPort(), request);
  }

  /** Sends bytes as they are and reads the start of the answer. */
  private static String raw(String host, int port, String request) throws Exception {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[256];
      int n = in.read(buffer);
      return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }
  }
}
