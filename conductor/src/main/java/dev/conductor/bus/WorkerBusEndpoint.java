package dev.conductor.bus;

/**
 * What a worker is told about the bus besides its own credentials: the adapter ({@code
 * CONDUCTOR_BUS_KIND}) and where the bus is ({@code CONDUCTOR_BUS_URL}: an Artemis URL, or the
 * Service Bus namespace host).
 */
public record WorkerBusEndpoint(String kind, String url) {}
