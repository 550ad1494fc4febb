package dev.conductor.provisioning.local;

import java.util.Objects;
import java.util.Set;

/**
 * Where the local adapter creates tenant databases and what it tells tenants.
 *
 * @param adminJdbcUrl JDBC URL of a database on the server that hosts tenant databases
 * @param adminUser a superuser, or a role with CREATEROLE and CREATEDB that may SET ROLE to the
 *     roles it creates
 * @param adminPassword the admin user's password
 * @param tenantHost the host tenants use to reach that server
 * @param tenantPort the port tenants use to reach that server
 * @param protectedDatabases databases no tenant may connect to, such as the conductor's own and
 *     {@code postgres}: CONNECT is revoked from PUBLIC on each
 */
public record LocalProvisionerSettings(
    String adminJdbcUrl,
    String adminUser,
    String adminPassword,
    String tenantHost,
    int tenantPort,
    Set<String> protectedDatabases) {

  public LocalProvisionerSettings {
    Objects.requireNonNull(adminJdbcUrl, "adminJdbcUrl");
    Objects.requireNonNull(adminUser, "adminUser");
    Objects.requireNonNull(adminPassword, "adminPassword");
    Objects.requireNonNull(tenantHost, "tenantHost");
    if (tenantPort < 1 || tenantPort > 65535) {
      throw new IllegalArgumentException("tenantPort must be between 1 and 65535");
    }
    protectedDatabases = Set.copyOf(protectedDatabases);
  }

  @Override
  public String toString() {
    return "LocalProvisionerSettings[adminJdbcUrl="
        + adminJdbcUrl
        + ", adminUser="
        + adminUser
        + ", tenantHost="
        + tenantHost
        + ", tenantPort="
        + tenantPort
        + ", protectedDatabases="
        + protectedDatabases
        + "]";
  }
}
