package dev.conductor.replica;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.replica.*}: how often this conductor renews its lease, and how long a lease
 * lasts; a replica that stops renewing for {@code lease} is dead to the others, which adopt its
 * workers.
 */
@ConfigurationProperties("conductor.replica")
public record ReplicaSettings(@NotNull Duration heartbeatInterval, @NotNull Duration lease) {}
