package dev.conductor.job;

import io.micronaut.core.annotation.Introspected;
import java.util.UUID;

/** Jobs dispatched to or running on one worker. */
@Introspected
public record InFlightCount(UUID workerId, long count) {}
