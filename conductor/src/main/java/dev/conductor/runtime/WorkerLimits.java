package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;

/**
 * A plan's CPU and memory limits for each of its workers, where a runtime takes them; unset: the
 * runtime's own (for docker, {@code conductor.runtime.docker.cpus/memory}).
 */
public record WorkerLimits(@Nullable Double cpus, @Nullable Long memoryBytes) {
  public static final WorkerLimits NONE = new WorkerLimits(null, null);
}
