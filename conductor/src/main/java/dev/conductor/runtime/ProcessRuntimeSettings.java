package dev.conductor.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.runtime.process.*}: the class path worker processes run with ({@code classpath};
 * add handler jars here), else the slim worker jar ({@code worker-jar}, else {@code
 * conductor-worker.jar} beside the server's jar) on the artemis bus, else the conductor's own class
 * path, which holds the worker too but starts it slower.
 */
@ConfigurationProperties("conductor.runtime.process")
public record ProcessRuntimeSettings(
    @Nullable String classpath, @Nullable String workerJar, boolean classData) {}
