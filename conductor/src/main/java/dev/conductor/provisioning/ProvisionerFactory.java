package dev.conductor.provisioning;

import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.local.LocalProvisioner;
import dev.conductor.provisioning.local.LocalProvisionerSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.Set;

/**
 * Chooses the Provisioner adapter by {@code conductor.provisioner.kind}. The local adapter creates
 * tenant databases on the conductor's own PostgreSQL server unless {@code
 * conductor.provisioning.local.admin-url} names another.
 */
@Factory
class ProvisionerFactory {

  @Singleton
  @Requires(property = "conductor.provisioner.kind", value = "local", defaultValue = "local")
  Provisioner local(
      MessageBus bus,
      @Value("${datasources.default.url}") String conductorUrl,
      @Value("${datasources.default.username}") String conductorUser,
      @Nullable @Value("${datasources.default.password:}") String conductorPassword,
      @Nullable @Value("${conductor.provisioning.local.admin-url:}") String adminUrl,
      @Nullable @Value("${conductor.provisioning.local.admin-user:}") String adminUser,
      @Nullable @Value("${conductor.provisioning.local.admin-password:}") String adminPassword,
      @Nullable @Value("${conductor.provisioning.local.tenant-host:}") String tenantHost) {
    String url = blank(adminUrl) ? conductorUrl : adminUrl;
    Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
    if (parsed == null) {
      throw new IllegalStateException("not a PostgreSQL JDBC URL: " + url.replaceAll("\\?.*", ""));
    }
    String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
    int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
    String conductorDatabase =
        org.postgresql.Driver.parseURL(conductorUrl, new Properties()).getProperty("PGDBNAME");
    return new LocalProvisioner(
        new LocalProvisionerSettings(
            url,
            blank(adminUser) ? conductorUser : adminUser,
            nullToEmpty(blank(adminUser) ? conductorPassword : adminPassword),
            blank(tenantHost) ? host : tenantHost,
            port,
            Set.of(conductorDatabase, "postgres")),
        bus);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  static {
    // Makes sure the driver is registered before parseURL is used in shaded jars.
    DriverManager.getDrivers();
  }
}
