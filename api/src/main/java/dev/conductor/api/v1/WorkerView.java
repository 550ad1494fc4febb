package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A worker as the operator sees it; {@code location} is where it runs (null: no location), {@code
 * egressAddress} the address its traffic leaves from where its runtime can tell (null: not known),
 * {@code runtime} the kind it runs on (process, docker, kubernetes, aca; null until recorded).
 */
public record WorkerView(
    String id,
    String tenant,
    @Nullable String affinityKey,
    String state,
    long inFlight,
    int capacity,
    Instant startedAt,
    Instant lastActivityAt,
    long generation,
    @Nullable String stopReason,
    @Nullable String location,
    @Nullable String egressAddress,
    @Nullable String runtime) {}
