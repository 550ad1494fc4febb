package dev.conductor.provisioning.local;

import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceNames;
import java.util.Map;

/** A tenant's bus topology: the job topic workers subscribe to and the control queue. */
final class TenantTopology {
  private final MessageBus bus;

  TenantTopology(MessageBus bus) {
    this.bus = bus;
  }

  Resource create(ResourceNames names, ProgressListener progress) {
    createTopic(names.jobTopic(), progress);
    createQueue(names.controlQueue(), progress);
    return Resource.of(Map.of("jobTopic", names.jobTopic(), "controlQueue", names.controlQueue()));
  }

  void delete(ResourceNames names, ProgressListener progress) {
    deleteTopic(names.jobTopic(), progress);
    deleteQueue(names.controlQueue(), progress);
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
