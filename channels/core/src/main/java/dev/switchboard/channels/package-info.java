/**
 * What every channel shares: how an inbound message enters the gateway ({@link
 * dev.switchboard.channels.InboundGateway}), how replies leave it ({@link dev.switchboard.channels.ChannelAdapter}),
 * and how HTTP errors look ({@link dev.switchboard.channels.ApiError}). Channels depend on this package and on
 * {@code dev.switchboard.spi}; never on the gateway application.
 */
package dev.switchboard.channels;
