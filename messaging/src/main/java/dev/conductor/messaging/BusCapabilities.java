package dev.conductor.messaging;

/** Guarantees an adapter may lack (the Service Bus emulator ignores scheduled-message cancel). */
public record BusCapabilities(boolean cancelScheduled) {}
