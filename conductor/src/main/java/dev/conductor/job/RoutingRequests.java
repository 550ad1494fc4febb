package dev.conductor.job;

import java.util.UUID;

/**
 * Asks for a routing pass over a tenant's queue: a job was queued, capacity freed up or a worker
 * became ready. Implemented by routing; declared here so that jobs and workers need not know it.
 */
public interface RoutingRequests {
  void request(UUID tenantId);
}
