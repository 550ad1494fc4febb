package dev.conductor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {
  /** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes. */
  private static final int POSTGRES_MAX_IDENTIFIER = 63;

  @Test
  void derivesEveryNameFromTheSlug() {
    ResourceNames names = ResourceNames.of(new TenantName("acme-corp"));

    assertThat(names.database()).isEqualTo("tenant_acme_corp");
    assertThat(names.role()).isEqualTo("tenant_acme_corp_owner");
    assertThat(names.jobTopic()).isEqualTo("tenant.acme-corp.jobs");
    assertThat(names.controlQueue()).isEqualTo("tenant.acme-corp.control");
    assertThat(names.stack()).isEqualTo("tenant-acme-corp");
    assertThat(names.workerPrincipal()).isEqualTo("tenant.acme-corp.worker");
  }

  @Test
  void tenantSpecDerivesTheSameNames() {
    TenantName name = new TenantName("acme");
    TenantSpec spec = new TenantSpec(name, "standard", null, null);

    assertThat(spec.names()).isEqualTo(ResourceNames.of(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "acme-corp",
        "abcdefghijklmnopqrstuvwxyz0123",
        "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o9"
      })
  void postgresIdentifiersNeedNoQuotingAndFit(String slug) {
    ResourceNames names = ResourceNames.of(new TenantName(slug));

    for (String identifier : new String[] {names.database(), names.role()}) {
      assertThat(identifier)
          .matches("[a-z_][a-z0-9_]*")
          .hasSizeLessThanOrEqualTo(POSTGRES_MAX_IDENTIFIER);
    }
  }

  @Test
  void distinctTenantsGetDistinctNames() {
    ResourceNames dashed = ResourceNames.of(new TenantName("ab-c"));
    ResourceNames plain = ResourceNames.of(new TenantName("abc"));

    assertThat(dashed.database()).isNotEqualTo(plain.database());
    assertThat(dashed.role()).isNotEqualTo(plain.role());
    assertThat(dashed.jobTopic()).isNotEqualTo(plain.jobTopic());
    assertThat(dashed.stack()).isNotEqualTo(plain.stack());
    assertThat(dashed.workerPrincipal()).isNotEqualTo(plain.workerPrincipal());
  }

  @Test
  void workerPrincipalIsNoBusEntityName() {
    ResourceNames names = ResourceNames.of(new TenantName("acme"));

    assertThat(names.workerPrincipal())
        .isNotIn(names.jobTopic(), names.controlQueue())
        .matches("[a-z0-9.-]+");
  }

  @Test
  void roleAndDatabaseNeverCollide() {
    ResourceNames names = ResourceNames.of(new TenantName("acme"));

    assertThat(names.role()).isNotEqualTo(names.database());
  }
}
