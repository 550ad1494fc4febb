package dev.conductor.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OperatorRoleTest {

  @Test
  void readOnlyReadsOutsideAdmin() {
    OperatorRole role = OperatorRole.READ_ONLY;
    assertThat(role.permits("GET", "/v1/tenants")).isTrue();
    assertThat(role.permits("GET", "/v1/operations/x/events")).isTrue();
    assertThat(role.permits("GET", "/metrics")).isTrue();
    assertThat(role.permits("HEAD", "/v1/workers")).isTrue();
    assertThat(role.permits("POST", "/v1/tenants")).isFalse();
    assertThat(role.permits("PATCH", "/v1/tenants/acme")).isFalse();
    assertThat(role.permits("DELETE", "/v1/tenants/acme")).isFalse();
    assertThat(role.permits("GET", "/v1/admin/backup")).isFalse();
    assertThat(role.permits("GET", "/v1/admin/audit")).isFalse();
  }

  @Test
  void anOperatorDoesAnythingOutsideAdmin() {
    OperatorRole role = OperatorRole.OPERATOR;
    assertThat(role.permits("POST", "/v1/tenants")).isTrue();
    assertThat(role.permits("DELETE", "/v1/tenants/acme")).isTrue();
    assertThat(role.permits("POST", "/v1/workers/w/drain")).isTrue();
    assertThat(role.permits("POST", "/v1/admin/secrets-key/rotate")).isFalse();
    assertThat(role.permits("GET", "/v1/admin/operators")).isFalse();
    assertThat(role.permits("GET", "/v1/admin")).isFalse();
    // A prefix that only looks like admin's is not admin's.
    assertThat(role.permits("GET", "/v1/administrators")).isTrue();
  }

  @Test
  void anAdminDoesEverything() {
    assertThat(OperatorRole.ADMIN.permits("POST", "/v1/admin/operators")).isTrue();
    assertThat(OperatorRole.ADMIN.permits("GET", "/v1/admin/backup")).isTrue();
  }

  @Test
  void rolesAreNamedAsTheWireSpellsThem() {
    assertThat(OperatorRole.named("read-only")).isEqualTo(OperatorRole.READ_ONLY);
    assertThat(OperatorRole.named(" Operator ")).isEqualTo(OperatorRole.OPERATOR);
    assertThat(OperatorRole.named("READ_ONLY")).isNull();
    assertThat(OperatorRole.named(null)).isNull();
    assertThat(OperatorRole.choices()).isEqualTo("admin, operator, read-only");
  }

  @Test
  void namesAreSlugsAndAdminIsTaken() {
    assertThat(OperatorTokens.problemWithName("alice")).isNull();
    assertThat(OperatorTokens.problemWithName("ci-bot-2")).isNull();
    assertThat(OperatorTokens.problemWithName(null)).contains("required");
    assertThat(OperatorTokens.problemWithName("a")).contains("lowercase slug");
    assertThat(OperatorTokens.problemWithName("Alice")).contains("lowercase slug");
    assertThat(OperatorTokens.problemWithName("al ice")).contains("lowercase slug");
    assertThat(OperatorTokens.problemWithName("admin")).contains("built-in");
  }
}
