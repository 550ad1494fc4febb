package dev.conductor.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** {@code conductor.auth.*}: failed authentications one client address may make in a window. */
@ConfigurationProperties("conductor.auth")
public record AuthSettings(@Min(1) int maxFailures, @NotNull Duration failureWindow) {}
