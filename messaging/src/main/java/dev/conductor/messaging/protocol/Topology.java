package dev.conductor.messaging.protocol;

/** Names of the bus entities the protocol uses beyond a tenant's own topic and control queue. */
public final class Topology {
  /** Where the conductor schedules teardown messages to itself. */
  public static final String TEARDOWN_QUEUE = "conductor.teardown";

  private Topology() {}

  /** The worker's own subscription on its tenant's job topic, filtered by its GUID. */
  public static String workerSubscription(String workerId) {
    return "worker-" + workerId;
  }
}
