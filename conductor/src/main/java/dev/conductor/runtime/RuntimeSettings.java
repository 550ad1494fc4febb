package dev.conductor.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code conductor.runtime.kind}: the runtime of every plan that names none ({@code process}, so
 * the first run needs nothing but a JDK).
 */
@ConfigurationProperties("conductor.runtime")
public record RuntimeSettings(@NotBlank String kind) {}
