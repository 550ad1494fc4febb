package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.models.AccessRights;
import com.azure.messaging.servicebus.administration.models.AuthorizationRule;
import com.azure.messaging.servicebus.administration.models.QueueProperties;
import com.azure.messaging.servicebus.administration.models.SharedAccessAuthorizationRule;
import com.azure.messaging.servicebus.administration.models.TopicProperties;
import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker credentials as entity-level SAS authorization rules ({@link WorkerAccessPlan}): one rule
 * name, one freshly generated key, put on every physical topic of the job topic (Listen) and on the
 * control queue (Send). A worker connects with the rule name and key; the SDK signs a token per
 * entity, which only these rules accept. Granting again rotates the key: the new key becomes
 * primary and the previous primary secondary, so running workers keep renewing their tokens until
 * the next rotation (a new rule's secondary is random and never handed out). Revoke removes the
 * rule wherever it is, so it needs no record of what was granted: it scans the namespace's topics
 * and queues (offboarding is rare; a namespace holds at most 10,000 entities on Standard). An
 * entity takes at most 12 rules.
 *
 * <p>Read-modify-write of an entity's rules is serialised within one bus, not across conductor
 * replicas; a re-run converges.
 */
final class ServiceBusWorkerAccess {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceBusWorkerAccess.class);
  private static final int KEY_BYTES = 32;

  private final ServiceBusAdministrationClient admin;
  private final TopicShards shards;
  private final SecureRandom random = new SecureRandom();

  ServiceBusWorkerAccess(ServiceBusAdministrationClient admin, TopicShards shards) {
    this.admin = admin;
    this.shards = shards;
  }

  synchronized BusCredentials grant(String principal, String topic, String controlQueue) {
    WorkerAccessPlan plan = WorkerAccessPlan.of(principal, topic, controlQueue, shards);
    String key = newKey();
    for (WorkerAccessPlan.Grant grant : plan.grants()) {
      switch (grant.kind()) {
        case TOPIC -> {
          TopicProperties properties = admin.getTopic(grant.entity());
          replace(
              properties.getAuthorizationRules(),
              plan.ruleName(),
              key,
              grant.rights(),
              this::newKey);
          admin.updateTopic(properties);
        }
        case QUEUE -> {
          QueueProperties properties = admin.getQueue(grant.entity());
          replace(
              properties.getAuthorizationRules(),
              plan.ruleName(),
              key,
              grant.rights(),
              this::newKey);
          admin.updateQueue(properties);
        }
      }
    }
    LOG.info(
        "worker access granted principal={} rule={} topic={} controlQueue={}",
        principal,
        plan.ruleName(),
        topic,
        controlQueue);
    return new BusCredentials(plan.ruleName(), key);
  }

  synchronized void revoke(String principal) {
    String ruleName = ServiceBusNames.rule(principal);
    for (TopicProperties topic : admin.listTopics()) {
      if (topic.getAuthorizationRules().removeIf(rule -> rule.getKeyName().equals(ruleName))) {
        admin.updateTopic(topic);
      }
    }
    for (QueueProperties queue : admin.listQueues()) {
      if (queue.getAuthorizationRules().removeIf(rule -> rule.getKeyName().equals(ruleName))) {
        admin.updateQueue(queue);
      }
    }
    LOG.info("worker access revoked principal={} rule={}", principal, ruleName);
  }

  /**
   * Puts rule {@code ruleName} with {@code key} as its primary key in {@code rules}. If the rule is
   * there already, its primary key moves to the secondary slot, so workers still on it are not cut
   * off; otherwise the secondary is {@code spare}'s.
   */
  static void replace(
      List<AuthorizationRule> rules,
      String ruleName,
      String key,
      List<AccessRights> rights,
      Supplier<String> spare) {
    String previous =
        rules.stream()
            .filter(existing -> existing.getKeyName().equals(ruleName))
            .map(AuthorizationRule::getPrimaryKey)
            .filter(primary -> primary != null && !primary.isEmpty() && !primary.equals(key))
            .findFirst()
            .orElseGet(spare);
    rules.removeIf(existing -> existing.getKeyName().equals(ruleName));
    if (rules.size() >= 12) {
      throw new BusException(
          "cannot add rule '"
              + ruleName
              + "': the entity already has the 12 authorization rules Service Bus allows",
          false,
          null);
    }
    rules.add(new SharedAccessAuthorizationRule(ruleName, key, previous, rights));
  }

  /** 32 random bytes, URL-safe: SAS signs with the key's text, so any text key works. */
  private String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
