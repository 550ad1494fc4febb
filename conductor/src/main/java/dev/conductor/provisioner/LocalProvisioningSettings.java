package dev.conductor.provisioner;

import dev.conductor.provisioning.local.LocalProvisionerSettings;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@code conductor.provisioning.local.*}: the PostgreSQL server that hosts tenant databases, when
 * not the conductor's own, and the host name tenants reach it by.
 */
@ConfigurationProperties("conductor.provisioning.local")
public record LocalProvisioningSettings(
    @Nullable String adminUrl,
    @Nullable String adminUser,
    @Nullable String adminPassword,
    @Nullable String tenantHost) {

  /**
   * The server the local adapter creates tenant databases on. A setting left blank falls back to
   * the conductor's own datasource: its URL, and its user and password unless an admin user is set;
   * tenants reach the server at its URL's host and port unless tenant-host says otherwise.
   */
  LocalProvisionerSettings server(DatasourceConfiguration conductor) {
    String url = orIfBlank(adminUrl, conductor.getUrl());
    PostgresUrl server = PostgresUrl.parse(url);
    // The admin password goes with the admin user, never with the conductor's.
    String password = isBlank(adminUser) ? conductor.getPassword() : adminPassword;
    return new LocalProvisionerSettings(
        url,
        orIfBlank(adminUser, conductor.getUsername()),
        Objects.requireNonNullElse(password, ""),
        orIfBlank(tenantHost, server.host()),
        server.port(),
        // A conductor whose own database is named postgres protects it once.
        new HashSet<>(List.of(PostgresUrl.parse(conductor.getUrl()).database(), "postgres")));
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  private static String orIfBlank(@Nullable String setting, String fallback) {
    return setting == null || setting.isBlank() ? fallback : setting;
  }
}
