package dev.conductor.messaging;

/** A handle to cancel a scheduled send; {@code token} is adapter-specific and storable as text. */
public record ScheduledMessage(String destination, String token) {}
