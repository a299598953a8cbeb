package dev.switchboard.app.http;

import dev.switchboard.channels.RequestAuth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What operators reach besides {@code /admin/skills}, all behind the admin token.
 *
 * @param eraseConversation erases a conversation ({@code channel:id}) everywhere, answering what was removed
 * @param pruneNow runs the retention pruning now, answering what was removed
 */
public record AdminApi(RequestAuth auth, InferenceAdminRoutes inference, MetricsEndpoint metrics,
    Function<String, Future<JsonObject>> eraseConversation, Supplier<Future<JsonObject>> pruneNow) {}
