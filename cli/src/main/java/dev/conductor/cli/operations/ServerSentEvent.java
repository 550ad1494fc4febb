package dev.conductor.cli.operations;

/** One dispatched event of a text/event-stream; {@code event} defaults to "message". */
public record ServerSentEvent(String event, String data, String id) {}
