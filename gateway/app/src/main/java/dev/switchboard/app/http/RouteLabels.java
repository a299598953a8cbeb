package dev.switchboard.app.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The route template a request path belongs to ({@code /v1/messages/{id}}), for metric labels: a fixed set
 * taken from the router, so that no caller can create label values by inventing paths.
 */
final class RouteLabels {
  static final RouteLabels NONE = new RouteLabels(List.of());

  private record Template(Pattern pattern, String label) {}

  private final List<Template> templates;

  private RouteLabels(List<Template> templates) {
    this.templates = templates;
  }

  /** The templates of every route with a path, most specific (longest) first. */
  static RouteLabels of(Router router) {
    List<Template> templates = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || templates.stream().anyMatch(t -> t.label().equals(label(path)))) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (String part : path.split("/", -1)) {
        parts.add(part.startsWith(":") ? "[^/]+" : Pattern.quote(part));
      }
      String pattern = String.join("/", parts);
      templates.add(new Template(Pattern.compile(route.isExactPath() ? pattern : pattern + ".*"), label(path)));
    }
    templates.sort((a, b) -> b.label().length() - a.label().length());
    return new RouteLabels(templates);
  }

  private static String label(String path) {
    return path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  /** The template {@code path} matches, or {@code other}. */
  String labelOf(String path) {
    if (path != null) {
      for (Template template : templates) {
        if (template.pattern().matcher(path).matches()) {
          return template.label();
        }
      }
    }
    return "other";
  }
}
