package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.administration.models.AccessRights;
import java.util.ArrayList;
import java.util.List;

/**
 * Which entity-level SAS authorization rules a worker principal gets: the same rule name on every
 * physical topic of its job topic with Listen only (it receives from its subscription and settles,
 * dead-lettering included), and on its control queue with Send only. Never Manage, and nothing at
 * namespace level. Pure, so the scoping is tested without Azure.
 */
record WorkerAccessPlan(String ruleName, List<Grant> grants) {

  enum EntityKind {
    TOPIC,
    QUEUE
  }

  /** One rule to put on one entity. */
  record Grant(EntityKind kind, String entity, List<AccessRights> rights) {
    Grant {
      rights = List.copyOf(rights);
    }
  }

  WorkerAccessPlan {
    grants = List.copyOf(grants);
  }

  static WorkerAccessPlan of(
      String principal, String logicalTopic, String controlQueue, TopicShards shards) {
    List<Grant> grants = new ArrayList<>();
    for (String topic : shards.topics(logicalTopic)) {
      grants.add(new Grant(EntityKind.TOPIC, topic, List.of(AccessRights.LISTEN)));
    }
    grants.add(
        new Grant(
            EntityKind.QUEUE, ServiceBusNames.entity(controlQueue), List.of(AccessRights.SEND)));
    return new WorkerAccessPlan(ServiceBusNames.rule(principal), grants);
  }
}
