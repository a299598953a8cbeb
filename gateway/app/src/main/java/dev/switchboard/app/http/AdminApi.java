package dev.switchboard.app.http;

import dev.switchboard.channels.RequestAuth;

/**
 * What operators reach besides {@code /admin/skills}, all behind the same bearer token ({@code admin.token}, else
 * loopback only).
 */
public record AdminApi(RequestAuth auth, InferenceAdminRoutes inference, MetricsEndpoint metrics) {}
