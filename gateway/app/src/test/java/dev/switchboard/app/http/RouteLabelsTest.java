package dev.switchboard.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

class RouteLabelsTest {

  @Test
  void pathsAreLabelledByTheirRouteTemplateAndUnknownOnesAreOther() {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.route().handler(ctx -> ctx.next());
      router.post("/v1/messages").handler(ctx -> ctx.next());
      router.get("/v1/messages/:id").handler(ctx -> ctx.next());
      router.route("/admin/*").handler(ctx -> ctx.next());
      router.get("/admin/skills").handler(ctx -> ctx.next());
      router.delete("/admin/conversations/:channel/:id").handler(ctx -> ctx.next());
      RouteLabels labels = RouteLabels.of(router);
      assertEquals("/v1/messages", labels.labelOf("/v1/messages"));
      assertEquals("/v1/messages/{id}", labels.labelOf("/v1/messages/order-42"));
      assertEquals("/admin/skills", labels.labelOf("/admin/skills"));
      assertEquals("/admin/conversations/{channel}/{id}", labels.labelOf("/admin/conversations/webhook/alice"));
      assertEquals("/admin/", labels.labelOf("/admin/anything/else"));
      assertEquals("other", labels.labelOf("/wp-login.php"));
      assertEquals("other", labels.labelOf("/v1/messages/a/b"));
    } finally {
      vertx.close().await();
    }
  }
}
