package dev.conductor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AuditActionTest {

  @Test
  void tenantRequestsAreNamedWithTheirTenant() {
    assertThat(AuditAction.of("POST", "/v1/tenants"))
        .isEqualTo(new AuditAction("tenant.create", null));
    assertThat(AuditAction.of("DELETE", "/v1/tenants/acme"))
        .isEqualTo(new AuditAction("tenant.delete", "acme"));
    assertThat(AuditAction.of("PATCH", "/v1/tenants/acme"))
        .isEqualTo(new AuditAction("tenant.update", "acme"));
    assertThat(AuditAction.of("POST", "/v1/tenants/acme/suspend"))
        .isEqualTo(new AuditAction("tenant.suspend", "acme"));
    assertThat(AuditAction.of("POST", "/v1/tenants/acme/api-keys"))
        .isEqualTo(new AuditAction("tenant.rotate-key", "acme"));
    assertThat(AuditAction.of("POST", "/v1/tenants/acme/jobs/j1/rerun"))
        .isEqualTo(new AuditAction("job.rerun", "acme"));
  }

  @Test
  void otherRequestsAreNamedWithoutATenant() {
    assertThat(AuditAction.of("POST", "/v1/operations/o1/cancel").name())
        .isEqualTo("operation.cancel");
    assertThat(AuditAction.of("POST", "/v1/workers/w1/drain").name()).isEqualTo("worker.drain");
    assertThat(AuditAction.of("POST", "/v1/admin/operators").name()).isEqualTo("operator.create");
    assertThat(AuditAction.of("DELETE", "/v1/admin/operators/bob").name())
        .isEqualTo("operator.revoke");
    assertThat(AuditAction.of("POST", "/v1/admin/secrets-key/rotate").name())
        .isEqualTo("secrets-key.rotate");
    assertThat(AuditAction.of("PUT", "/v1/something/new"))
        .isEqualTo(new AuditAction("put /v1/something/new", null));
  }

  @Test
  void onlyStateChangingMethodsAreAudited() {
    assertThat(AuditAction.changesState("POST")).isTrue();
    assertThat(AuditAction.changesState("PUT")).isTrue();
    assertThat(AuditAction.changesState("PATCH")).isTrue();
    assertThat(AuditAction.changesState("DELETE")).isTrue();
    assertThat(AuditAction.changesState("GET")).isFalse();
    assertThat(AuditAction.changesState("HEAD")).isFalse();
  }
}
