package dev.conductor.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * {@code conductor.runtime.docker.*}: which engine runs worker containers ({@code host}; unset:
 * {@code DOCKER_HOST}, else the local socket), from which image, on which network, the broker
 * address containers use (unset: the conductor's own, right on the host network) and each
 * container's CPU and memory limits, and whether containers share a class-data archive ({@code
 * class-data}).
 */
@ConfigurationProperties("conductor.runtime.docker")
public record DockerRuntimeSettings(
    @Nullable String host,
    @NotBlank String image,
    @NotBlank String network,
    @Nullable String busUrl,
    @Positive double cpus,
    @Positive @ReadableBytes long memory,
    boolean classData) {}
