package dev.conductor.fleet;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.workers.*}: heartbeats, how long silence or a slow start is tolerated before a
 * worker is LOST, the grace period of a shutdown, and how often the reconciler runs.
 */
@ConfigurationProperties("conductor.workers")
public record FleetSettings(
    @NotNull Duration heartbeatInterval,
    @NotNull Duration heartbeatTimeout,
    @NotNull Duration startTimeout,
    @NotNull Duration shutdownGrace,
    @NotNull Duration reconcileInterval,
    @NotNull Duration redispatchAfter) {}
