package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.administration.models.AccessRights;
import dev.conductor.messaging.servicebus.WorkerAccessPlan.EntityKind;
import dev.conductor.messaging.servicebus.WorkerAccessPlan.Grant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerAccessPlanTest {

  @Test
  void listenOnTheJobTopicAndSendOnTheControlQueueOnly() {
    WorkerAccessPlan plan =
        WorkerAccessPlan.of(
            "tenant.acme.worker", "tenant.acme.jobs", "tenant.acme.control", new TopicShards(1));

    assertThat(plan.ruleName()).isEqualTo("tenant.acme.worker");
    assertThat(plan.grants())
        .containsExactly(
            new Grant(EntityKind.TOPIC, "tenant.acme.jobs", List.of(AccessRights.LISTEN)),
            new Grant(EntityKind.QUEUE, "tenant.acme.control", List.of(AccessRights.SEND)));
  }

  @Test
  void everyShardOfTheTopicGetsTheSameListenRule() {
    WorkerAccessPlan plan =
        WorkerAccessPlan.of(
            "tenant.acme.worker", "tenant.acme.jobs", "tenant.acme.control", new TopicShards(3));

    assertThat(plan.grants())
        .extracting(Grant::entity)
        .containsExactly(
            "tenant.acme.jobs",
            "tenant.acme.jobs__1",
            "tenant.acme.jobs__2",
            "tenant.acme.control");
    assertThat(plan.grants().subList(0, 3))
        .allSatisfy(
            grant -> {
              assertThat(grant.kind()).isEqualTo(EntityKind.TOPIC);
              assertThat(grant.rights()).containsExactly(AccessRights.LISTEN);
            });
  }

  @Test
  void neverManageNorListenOnTheControlQueueNorSendOnTheTopic() {
    WorkerAccessPlan plan =
        WorkerAccessPlan.of("w", "tenant.acme.jobs", "tenant.acme.control", new TopicShards(2));

    assertThat(plan.grants())
        .allSatisfy(grant -> assertThat(grant.rights()).doesNotContain(AccessRights.MANAGE))
        .allSatisfy(grant -> assertThat(grant.rights()).hasSize(1));
    assertThat(plan.grants())
        .filteredOn(grant -> grant.kind() == EntityKind.QUEUE)
        .singleElement()
        .satisfies(grant -> assertThat(grant.rights()).containsExactly(AccessRights.SEND));
  }
}
