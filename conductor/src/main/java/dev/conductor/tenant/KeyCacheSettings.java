package dev.conductor.tenant;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.auth.key-cache.*}: how many API key hashes each replica remembers and for how
 * long at most, and how long a key or status change waits for every replica to confirm eviction.
 */
@ConfigurationProperties("conductor.auth.key-cache")
public record KeyCacheSettings(
    @Min(0) int size, @NotNull Duration ttl, @NotNull Duration confirmWithin) {}
