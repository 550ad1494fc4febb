package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.administration.models.AccessRights;
import com.azure.messaging.servicebus.administration.models.AuthorizationRule;
import com.azure.messaging.servicebus.administration.models.SharedAccessAuthorizationRule;
import dev.conductor.messaging.BusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceBusWorkerAccessTest {
  private static final List<AccessRights> LISTEN = List.of(AccessRights.LISTEN);

  @Test
  void aRotationKeepsThePreviousKeyValidAsSecondary() {
    List<AuthorizationRule> rules = new ArrayList<>();
    rules.add(new SharedAccessAuthorizationRule("other", "o1", "o2", LISTEN));
    rules.add(new SharedAccessAuthorizationRule("tenant.acme.worker", "old", "older", LISTEN));

    ServiceBusWorkerAccess.replace(rules, "tenant.acme.worker", "new", LISTEN, () -> "spare");

    assertThat(rules).hasSize(2);
    AuthorizationRule rule = rule(rules, "tenant.acme.worker");
    assertThat(rule.getPrimaryKey()).isEqualTo("new");
    assertThat(rule.getSecondaryKey()).isEqualTo("old");
    assertThat(rule.getAccessRights()).containsExactly(AccessRights.LISTEN);
    assertThat(rule(rules, "other").getPrimaryKey()).isEqualTo("o1");
  }

  @Test
  void twoRotationsRetireTheFirstKey() {
    List<AuthorizationRule> rules = new ArrayList<>();

    ServiceBusWorkerAccess.replace(rules, "w", "k1", LISTEN, () -> "spare");
    ServiceBusWorkerAccess.replace(rules, "w", "k2", LISTEN, () -> "spare");
    ServiceBusWorkerAccess.replace(rules, "w", "k3", LISTEN, () -> "spare");

    assertThat(rule(rules, "w").getPrimaryKey()).isEqualTo("k3");
    assertThat(rule(rules, "w").getSecondaryKey()).isEqualTo("k2");
  }

  @Test
  void aNewRuleGetsTheSpareSecondary() {
    List<AuthorizationRule> rules = new ArrayList<>();

    ServiceBusWorkerAccess.replace(rules, "w", "k1", LISTEN, () -> "spare");

    assertThat(rule(rules, "w").getPrimaryKey()).isEqualTo("k1");
    assertThat(rule(rules, "w").getSecondaryKey()).isEqualTo("spare");
  }

  @Test
  void regrantingTheSameKeyKeepsDistinctKeys() {
    List<AuthorizationRule> rules = new ArrayList<>();
    rules.add(new SharedAccessAuthorizationRule("w", "k1", "k0", LISTEN));

    ServiceBusWorkerAccess.replace(rules, "w", "k1", LISTEN, () -> "spare");

    assertThat(rule(rules, "w").getPrimaryKey()).isEqualTo("k1");
    assertThat(rule(rules, "w").getSecondaryKey()).isEqualTo("spare");
  }

  @Test
  void aThirteenthRuleIsRefusedButReplacingOneOfTwelveIsNot() {
    List<AuthorizationRule> rules = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rules.add(new SharedAccessAuthorizationRule("r" + i, "p" + i, "s" + i, LISTEN));
    }

    ServiceBusWorkerAccess.replace(rules, "r5", "new", LISTEN, () -> "spare");
    assertThat(rule(rules, "r5").getSecondaryKey()).isEqualTo("p5");
    assertThatThrownBy(
            () -> ServiceBusWorkerAccess.replace(rules, "r12", "new", LISTEN, () -> "spare"))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("12 authorization rules");
  }

  private static AuthorizationRule rule(List<AuthorizationRule> rules, String name) {
    return rules.stream().filter(r -> r.getKeyName().equals(name)).findFirst().orElseThrow();
  }
}
