package dev.conductor.provisioning;

/** The outputs of a provisioning run, one resource per kind, the same shape for every adapter. */
public record ProvisionedResources(
    Resource database, Resource queue, Resource app, Resource container) {}
