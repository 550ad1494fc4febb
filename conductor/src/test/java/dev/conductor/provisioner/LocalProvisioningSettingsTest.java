package dev.conductor.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.local.LocalProvisionerSettings;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import org.junit.jupiter.api.Test;

/** Where the local provisioner puts tenant databases: each blank setting is the conductor's own. */
class LocalProvisioningSettingsTest {
  private static final DatasourceConfiguration CONDUCTOR = conductor();

  @Test
  void nothingSetIsTheConductorsOwnServerAndLogin() {
    LocalProvisionerSettings server =
        new LocalProvisioningSettings(null, " ", null, "").server(CONDUCTOR);

    assertThat(server.adminJdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/conductor");
    assertThat(server.adminUser()).isEqualTo("conductor");
    assertThat(server.adminPassword()).isEqualTo("conductor-secret");
    assertThat(server.tenantHost()).isEqualTo("db.internal");
    assertThat(server.tenantPort()).isEqualTo(5433);
    assertThat(server.protectedDatabases()).containsExactlyInAnyOrder("conductor", "postgres");
  }

  @Test
  void anAdminServerAndLoginReplaceTheConductorsAndTenantsMayReachItByAnotherName() {
    LocalProvisionerSettings server =
        new LocalProvisioningSettings(
                "jdbc:postgresql://tenants.internal/postgres?sslmode=require",
                "admin",
                "admin-secret",
                "tenants.example.com")
            .server(CONDUCTOR);

    assertThat(server.adminJdbcUrl())
        .isEqualTo("jdbc:postgresql://tenants.internal/postgres?sslmode=require");
    assertThat(server.adminUser()).isEqualTo("admin");
    assertThat(server.adminPassword()).isEqualTo("admin-secret");
    assertThat(server.tenantHost()).isEqualTo("tenants.example.com");
    assertThat(server.tenantPort()).isEqualTo(5432);
    // The conductor's own database stays protected wherever the tenants' server is.
    assertThat(server.protectedDatabases()).containsExactlyInAnyOrder("conductor", "postgres");
  }

  @Test
  void theConductorsPasswordNeverGoesWithAnotherUser() {
    LocalProvisionerSettings server =
        new LocalProvisioningSettings(null, "admin", null, null).server(CONDUCTOR);

    assertThat(server.adminUser()).isEqualTo("admin");
    assertThat(server.adminPassword()).isEmpty();
  }

  @Test
  void aConductorWhoseDatabaseIsPostgresProtectsItOnce() {
    DatasourceConfiguration onPostgres = new DatasourceConfiguration("default");
    onPostgres.setUrl("jdbc:postgresql://localhost/postgres");
    onPostgres.setUsername("conductor");

    assertThat(new LocalProvisioningSettings(null, null, null, null).server(onPostgres))
        .extracting(LocalProvisionerSettings::protectedDatabases)
        .isEqualTo(java.util.Set.of("postgres"));
  }

  @Test
  void anAdminUrlThatIsNotPostgresIsNamedWithoutItsParameters() {
    LocalProvisioningSettings settings =
        new LocalProvisioningSettings("jdbc:mysql://db/x?password=secret", null, null, null);

    assertThatThrownBy(() -> settings.server(CONDUCTOR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a PostgreSQL JDBC URL: jdbc:mysql://db/x");
  }

  private static DatasourceConfiguration conductor() {
    DatasourceConfiguration datasource = new DatasourceConfiguration("default");
    datasource.setUrl("jdbc:postgresql://db.internal:5433/conductor");
    datasource.setUsername("conductor");
    datasource.setPassword("conductor-secret");
    return datasource;
  }
}
