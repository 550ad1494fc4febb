package dev.conductor.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** {@code conductor.database.probe-*}: how often the liveness probe runs and how long it waits. */
@ConfigurationProperties("conductor.database")
public record DatabaseProbeSettings(
    @NotNull Duration probeInterval, @NotNull Duration probeTimeout) {}
