package dev.conductor.provisioning.local;

import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceNames;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A tenant's bus topology: the job topic workers subscribe to, the control queue, and the worker
 * principal that may only listen on the one and send to the other.
 */
final class TenantTopology {
  private final MessageBus bus;

  TenantTopology(MessageBus bus) {
    this.bus = bus;
  }

  Resource create(ResourceNames names, ProgressListener progress) {
    Cancellation.checkpoint("creating topic " + names.jobTopic());
    createTopic(names.jobTopic(), progress);
    Cancellation.checkpoint("creating queue " + names.controlQueue());
    createQueue(names.controlQueue(), progress);
    Cancellation.checkpoint("granting worker access " + names.workerPrincipal());
    BusCredentials worker = grantWorkerAccess(names, progress);
    return new Resource(
        Map.of(
            "jobTopic", names.jobTopic(),
            "controlQueue", names.controlQueue(),
            "workerUser", worker.user()),
        Map.of("workerPassword", worker.password()));
  }

  /** Access first, so no worker can connect while its entities go. */
  void delete(ResourceNames names, ProgressListener progress) {
    Cancellation.checkpoint("revoking worker access " + names.workerPrincipal());
    revokeWorkerAccess(names.workerPrincipal(), progress);
    Cancellation.checkpoint("deleting topic " + names.jobTopic());
    deleteTopic(names.jobTopic(), progress);
    Cancellation.checkpoint("deleting queue " + names.controlQueue());
    deleteQueue(names.controlQueue(), progress);
  }

  /**
   * Compares the topic and the queue with what {@link #create} makes. The worker principal is not
   * checked: the bus port cannot tell whether a principal exists, and provision resets it anyway.
   */
  void inspect(ResourceNames names, Inspection inspection, ProgressListener progress) {
    Cancellation.checkpoint("inspecting topic " + names.jobTopic());
    inspectEntity("topic " + names.jobTopic(), () -> bus.topicExists(names.jobTopic()), inspection);
    Cancellation.checkpoint("inspecting queue " + names.controlQueue());
    inspectEntity(
        "queue " + names.controlQueue(), () -> bus.queueExists(names.controlQueue()), inspection);
    progress.info(
        "worker principal "
            + names.workerPrincipal()
            + ": not checked (the bus does not report principals); provision resets it");
  }

  private static void inspectEntity(
      String resource, BooleanSupplier exists, Inspection inspection) {
    boolean present;
    try {
      present = exists.getAsBoolean();
    } catch (RuntimeException e) {
      throw StepFailure.of("inspect " + resource, e);
    }
    if (present) {
      inspection.matches(resource);
    } else {
      inspection.differs(resource, "missing", "create");
    }
  }

  /** Re-running resets the password, so a re-provisioned tenant gets fresh credentials. */
  private BusCredentials grantWorkerAccess(ResourceNames names, ProgressListener progress) {
    String principal = names.workerPrincipal();
    try {
      BusCredentials credentials =
          bus.grantWorkerAccess(principal, names.jobTopic(), names.controlQueue());
      progress.info(
          "worker principal "
              + principal
              + ": may listen on "
              + names.jobTopic()
              + " and send to "
              + names.controlQueue()
              + ", password set");
      return credentials;
    } catch (RuntimeException e) {
      throw StepFailure.of("grant worker access " + principal, e);
    }
  }

  private void revokeWorkerAccess(String principal, ProgressListener progress) {
    try {
      bus.revokeWorkerAccess(principal);
      progress.info("worker principal " + principal + ": revoked");
    } catch (RuntimeException e) {
      throw StepFailure.of("revoke worker access " + principal, e);
    }
  }

  private void createTopic(String topic, ProgressListener progress) {
    try {
      if (bus.topicExists(topic)) {
        progress.info("topic " + topic + ": already exists");
        return;
      }
      bus.createTopic(topic, EntityOptions.DEFAULTS);
      progress.info("topic " + topic + ": created");
    } catch (RuntimeException e) {
      throw StepFailure.of("create topic " + topic, e);
    }
  }

  private void createQueue(String queue, ProgressListener progress) {
    try {
      if (bus.queueExists(queue)) {
        progress.info("queue " + queue + ": already exists");
        return;
      }
      bus.createQueue(queue, EntityOptions.DEFAULTS);
      progress.info("queue " + queue + ": created");
    } catch (RuntimeException e) {
      throw StepFailure.of("create queue " + queue, e);
    }
  }

  private void deleteTopic(String topic, ProgressListener progress) {
    try {
      if (!bus.topicExists(topic)) {
        progress.info("topic " + topic + ": not found");
        return;
      }
      bus.deleteTopic(topic);
      progress.info("topic " + topic + ": deleted");
    } catch (RuntimeException e) {
      throw StepFailure.of("delete topic " + topic, e);
    }
  }

  private void deleteQueue(String queue, ProgressListener progress) {
    try {
      if (!bus.queueExists(queue)) {
        progress.info("queue " + queue + ": not found");
        return;
      }
      bus.deleteQueue(queue);
      progress.info("queue " + queue + ": deleted");
    } catch (RuntimeException e) {
      throw StepFailure.of("delete queue " + queue, e);
    }
  }
}
