package dev.conductor.runtime;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.runtime.docker.locations.<name>.*}: one location the docker runtime serves, an
 * engine of its own ({@code host}; unset: {@code DOCKER_HOST}, else the local socket), with its
 * network and the broker address its containers use (unset: the runtime's), and the address its
 * containers' traffic leaves from ({@code egressAddress}, recorded on the worker; unset: not known,
 * since an engine cannot tell past NAT or a proxy).
 */
@EachProperty("conductor.runtime.docker.locations")
public record DockerLocation(
    @Parameter String name,
    @Nullable String host,
    @Nullable String network,
    @Nullable String busUrl,
    @Nullable String egressAddress) {}
