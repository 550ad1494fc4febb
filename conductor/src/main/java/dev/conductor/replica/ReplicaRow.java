package dev.conductor.replica;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A conductor process on the shared database: until {@code leaseUntil} it counts as alive. */
@MappedEntity("replicas")
record ReplicaRow(@Id UUID id, String host, Instant startedAt, Instant leaseUntil) {}
