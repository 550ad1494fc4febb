package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.protocol.Topology;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicShardsTest {

  @Test
  void oneShardKeepsTheTopicsOwnName() {
    TopicShards one = new TopicShards(1);
    assertThat(one.topics("tenant.acme.jobs")).containsExactly("tenant.acme.jobs");
    assertThat(one.ofMessage(Map.of("workerId", UUID.randomUUID().toString()))).isZero();
  }

  @Test
  void laterShardsAddTheirNumber() {
    assertThat(new TopicShards(3).topics("tenant.acme.jobs"))
        .containsExactly("tenant.acme.jobs", "tenant.acme.jobs__1", "tenant.acme.jobs__2");
  }

  @Test
  void aWorkersMessagesGoToTheShardHoldingItsSubscription() {
    TopicShards shards = new TopicShards(4);
    for (int i = 0; i < 200; i++) {
      String workerId = UUID.randomUUID().toString();
      int shard = shards.ofSubscription(Topology.workerSubscription(workerId));
      assertThat(shards.ofMessage(Map.of("workerId", workerId, "type", "JOB"))).isEqualTo(shard);
      assertThat(shards.ofWorker(workerId)).isEqualTo(shard).isBetween(0, 3);
    }
  }

  @Test
  void theShardChoiceIsStableAndSpreadsWorkers() {
    // A fixed id must land on the same shard in every JVM: CRC32, not a seeded hash.
    assertThat(new TopicShards(8).ofWorker("3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10"))
        .isEqualTo(new TopicShards(8).ofWorker("3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10"));
    TopicShards shards = new TopicShards(4);
    Map<Integer, Integer> perShard = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      perShard.merge(shards.ofWorker(UUID.randomUUID().toString()), 1, Integer::sum);
    }
    assertThat(perShard).hasSize(4);
    assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1_200));
  }

  @Test
  void messagesWithoutWorkerAndOtherSubscriptionsUseShardZero() {
    TopicShards shards = new TopicShards(5);
    assertThat(shards.ofMessage(Map.of("type", "SHUTDOWN"))).isZero();
    assertThat(shards.ofSubscription("audit")).isZero();
  }

  @Test
  void aWorkerFilterOnAnotherSubscriptionNameIsRefusedWhenSharded() {
    CorrelationFilter filter = CorrelationFilter.of("workerId", "abc");
    new TopicShards(1).checkSubscription("anything", filter);
    new TopicShards(3).checkSubscription(Topology.workerSubscription("abc"), filter);
    assertThatThrownBy(() -> new TopicShards(3).checkSubscription("anything", filter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker-abc");
  }

  @Test
  void shardCountIsBounded() {
    assertThatThrownBy(() -> new TopicShards(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TopicShards(TopicShards.MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
