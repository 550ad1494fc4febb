package dev.conductor.provisioning.pulumi.azure;

import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.BoundedName;

/**
 * Azure names of a tenant's resources, each within its resource type's rules.
 *
 * @param containerApp the tenant app; Container Apps names are lowercase letters, digits and '-',
 *     start with a letter, end with a letter or digit, at most 32 characters
 * @param workerJob the Container Apps Job of the tenant's workers, same rules
 * @param dedicatedServer the tenant's own PostgreSQL flexible server, if its plan has one: 3 to 63
 *     lowercase letters, digits and '-', unique across Azure (a DNS name), hence the prefix
 * @param database the tenant database, as {@link ResourceNames} names it (at most 63 characters)
 * @param administratorLogin the role the tenant connects as; on a dedicated server its admin
 * @param jobTopic the Service Bus topic of the tenant's jobs, as {@link ResourceNames} names it
 *     (letters, digits, '.', '-', at most 260 characters)
 * @param controlQueue the Service Bus queue of worker reports, as {@link ResourceNames} names it
 */
public record AzureNames(
    String containerApp,
    String workerJob,
    String dedicatedServer,
    String database,
    String administratorLogin,
    String jobTopic,
    String controlQueue) {

  public static final int CONTAINER_APP_MAX = 32;
  public static final int SERVER_MAX = 63;

  public static AzureNames of(TenantName tenant, String namePrefix) {
    String slug = tenant.value();
    ResourceNames names = ResourceNames.of(tenant);
    return new AzureNames(
        BoundedName.fit(slug, "-app", CONTAINER_APP_MAX, slug),
        AzureWorkerJob.name(tenant, ""),
        BoundedName.fit(namePrefix + "-" + slug, "-pg", SERVER_MAX, slug),
        names.database(),
        names.role(),
        names.jobTopic(),
        names.controlQueue());
  }
}
