package dev.conductor.cli.operations;

import jakarta.annotation.Nullable;

/** One dispatched event of a text/event-stream; {@code event} defaults to "message". */
public record ServerSentEvent(String event, String data, @Nullable String id) {}
