package dev.conductor.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.runtime.process.*}: the class path worker processes run with (unset: the
 * conductor's own, which holds the worker); add handler jars here.
 */
@ConfigurationProperties("conductor.runtime.process")
public record ProcessRuntimeSettings(@Nullable String classpath) {}
