package dev.switchboard.channels;

import io.vertx.core.Vertx;

/**
 * What a channel is given by the gateway when it is created.
 *
 * @param vertx the gateway's Vert.x
 * @param gateway where inbound messages are recorded
 * @param leases shared with the other nodes, for connections only one node may hold ({@link LeaderLoop})
 * @param keptSecret a random secret this node generated once and keeps in its data folder, for signing what it
 *     sends when no secret is configured (never logged)
 * @param clients who a request comes from, given the trusted proxies ({@code http.trusted-proxies})
 * @param jwt checks JWT bearer tokens of API callers ({@code auth.jwt.*}), or {@code null} when not configured
 */
public record ChannelContext(Vertx vertx, InboundGateway gateway, Leases leases, String keptSecret,
    ClientAddresses clients, JwtVerifier jwt) {

  @Override
  public String toString() {
    return "ChannelContext[keptSecret=****]";
  }
}
