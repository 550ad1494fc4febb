package dev.conductor.provisioning;

/**
 * The outputs of a provisioning run, one resource per kind, the same shape for every adapter.
 *
 * <ul>
 *   <li>{@code database}: identifiers {@code host, port, database, role}; secret {@code password}
 *   <li>{@code queue}: identifiers {@code jobTopic, controlQueue, workerUser}; secret {@code
 *       workerPassword}. Workers connect to the bus as {@code workerUser}, which may only receive
 *       from subscriptions of the job topic and send to the control queue; every provisioning run
 *       issues a new password.
 *   <li>{@code app}: identifiers {@code credentialId, jobsEndpoint}
 *   <li>{@code container}: identifiers {@code image} (if any), {@code command} (joined with
 *       spaces), {@code capacity}, {@code environment} (the keys, sorted, comma-separated: values
 *       may be secrets)
 * </ul>
 */
public record ProvisionedResources(
    Resource database, Resource queue, Resource app, Resource container) {}
