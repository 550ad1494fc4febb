package dev.conductor.api.v1;

import java.time.Instant;

/**
 * One step of an operation: in its log, and as the data of a {@code progress} server-sent event.
 */
public record EventView(Instant at, String level, String message) {}
