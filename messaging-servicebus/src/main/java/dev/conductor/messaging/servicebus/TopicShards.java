package dev.conductor.messaging.servicebus;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits one logical topic over {@code count} physical topics, so a tenant can have more live
 * workers than the 2,000 subscriptions a Service Bus topic takes. The shard is a pure function of
 * the worker id, so no state is kept: the subscription {@code worker-<id>} lives on shard {@code
 * crc32(id) mod count}, and a message whose {@code workerId} property is {@code id} is sent there.
 * A subscription that is not a worker's and a message without {@code workerId} use shard 0, so with
 * more than one shard such a subscription sees only the messages without a worker id.
 *
 * <p>Shard 0 keeps the topic's own name, later shards add {@value #SUFFIX} and their number ({@code
 * tenant.acme.jobs__3}). Changing the count moves workers between shards: change it only while the
 * tenant has no live workers.
 */
public final class TopicShards {
  static final String SUFFIX = "__";
  public static final int MAX = BusAccess.MAX_TOPIC_SHARDS;

  private final int count;

  public TopicShards(int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("topic shard count must be from 1 to " + MAX);
    }
    this.count = count;
  }

  public int count() {
    return count;
  }

  /** Every physical topic of a logical one, shard 0 first. */
  public List<String> topics(String logicalTopic) {
    List<String> topics = new ArrayList<>(count);
    for (int shard = 0; shard < count; shard++) {
      topics.add(topic(logicalTopic, shard));
    }
    return topics;
  }

  /** The physical topic of one shard. */
  public String topic(String logicalTopic, int shard) {
    String base = ServiceBusNames.entity(logicalTopic);
    return shard == 0 ? base : base + SUFFIX + shard;
  }

  /** The physical topic holding a subscription of a logical topic. */
  public String topicOf(String logicalTopic, String subscription) {
    return topic(logicalTopic, ofSubscription(subscription));
  }

  /** The shard holding a subscription, from its name alone. */
  public int ofSubscription(String subscription) {
    String prefix = Topology.workerSubscription("");
    return subscription.startsWith(prefix) ? ofWorker(subscription.substring(prefix.length())) : 0;
  }

  /** The shard a message goes to, from its {@code workerId} property. */
  public int ofMessage(Map<String, String> properties) {
    String workerId = properties.get(WireFormat.WORKER_ID);
    return workerId == null ? 0 : ofWorker(workerId);
  }

  public int ofWorker(String workerId) {
    if (count == 1) {
      return 0;
    }
    return (int) (ServiceBusNames.crc32(workerId) % count);
  }

  /**
   * Refuses a worker filter on a subscription with another name: with several shards, messages for
   * that worker would be sent to a shard the subscription is not on.
   */
  public void checkSubscription(String subscription, CorrelationFilter filter) {
    String workerId = filter.properties().get(WireFormat.WORKER_ID);
    if (count > 1
        && workerId != null
        && !subscription.equals(Topology.workerSubscription(workerId))) {
      throw new IllegalArgumentException(
          "with "
              + count
              + " topic shards, a subscription filtered on workerId '"
              + workerId
              + "' must be named '"
              + Topology.workerSubscription(workerId)
              + "', not '"
              + subscription
              + "'");
    }
  }
}
