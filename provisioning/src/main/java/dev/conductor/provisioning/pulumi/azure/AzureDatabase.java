package dev.conductor.provisioning.pulumi.azure;

import com.pulumi.azurenative.dbforpostgresql.Database;
import com.pulumi.azurenative.dbforpostgresql.DatabaseArgs;
import com.pulumi.azurenative.dbforpostgresql.FirewallRule;
import com.pulumi.azurenative.dbforpostgresql.FirewallRuleArgs;
import com.pulumi.azurenative.dbforpostgresql.Server;
import com.pulumi.azurenative.dbforpostgresql.ServerArgs;
import com.pulumi.azurenative.dbforpostgresql.inputs.SkuArgs;
import com.pulumi.azurenative.dbforpostgresql.inputs.StorageArgs;
import com.pulumi.core.Output;
import dev.conductor.provisioning.pulumi.AzureTarget;
import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.TenantStackConfig;

/**
 * The tenant database: on the shared flexible server, or on a server of its own when the plan says
 * so. Azure has no resource for PostgreSQL roles, so on the shared server the driver creates the
 * tenant role after {@code up}; on a dedicated server the tenant role is the server's admin.
 */
final class AzureDatabase {
  /** The newest major version the 2022-12-01 API of azure-native 2.10.0 accepts. */
  static final String POSTGRES_VERSION = "14";

  /** The flexible server rule for a start and end of 0.0.0.0: any Azure service may connect. */
  private static final String AZURE_SERVICES = "0.0.0.0";

  private AzureDatabase() {}

  /** Declares the database (and dedicated server) and returns the host tenants connect to. */
  static Output<String> declare(TenantStackConfig config, AzureTarget azure, AzureNames names) {
    if (!config.infrastructure().dedicatedDatabaseServer()) {
      database(azure, names, Output.of(azure.postgresServerName()));
      return Output.of(azure.postgresServerHost());
    }
    Server server = dedicatedServer(config, azure, names);
    new FirewallRule(
        "database-firewall-azure-services",
        FirewallRuleArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .serverName(server.name())
            .firewallRuleName("allow-azure-services")
            .startIpAddress(AZURE_SERVICES)
            .endIpAddress(AZURE_SERVICES)
            .build());
    database(azure, names, server.name());
    return server.fullyQualifiedDomainName();
  }

  private static Server dedicatedServer(
      TenantStackConfig config, AzureTarget azure, AzureNames names) {
    AdminPassword.requireAcceptedByAzure(config.databasePassword());
    InfrastructurePlan plan = config.infrastructure();
    return new Server(
        "database-server",
        ServerArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .serverName(names.dedicatedServer())
            .location(azure.location())
            .version(POSTGRES_VERSION)
            .sku(SkuArgs.builder().name(plan.databaseSku()).tier(plan.databaseSkuTier()).build())
            .storage(StorageArgs.builder().storageSizeGB(plan.databaseStorageGb()).build())
            .administratorLogin(names.administratorLogin())
            .administratorLoginPassword(config.secretDatabasePassword())
            .tags(config.tags())
            .build());
  }

  private static void database(AzureTarget azure, AzureNames names, Output<String> serverName) {
    new Database(
        "database",
        DatabaseArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .serverName(serverName)
            .databaseName(names.database())
            .charset("UTF8")
            .collation("en_US.utf8")
            .build());
  }
}
