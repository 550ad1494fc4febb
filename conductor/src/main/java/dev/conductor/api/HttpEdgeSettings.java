package dev.conductor.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Limits of the HTTP listener that no unauthenticated client may exceed.
 *
 * @param maxConnections open connections at once; further ones are closed on accept
 * @param requestHeadTimeout time a connection gets to send a complete request head, counted from
 *     when it opens or from the first bytes of a later request
 */
@ConfigurationProperties("conductor.http")
public record HttpEdgeSettings(@Min(1) int maxConnections, @NotNull Duration requestHeadTimeout) {}
