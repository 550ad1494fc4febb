package dev.conductor.provisioning.pulumi.docker;

import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.BoundedName;

/**
 * Docker names of a tenant's containers and volume: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}, kept within
 * 63 characters because container names double as host names on their network.
 *
 * @param postgresContainer the tenant's PostgreSQL, also its host name on the network
 * @param postgresVolume the volume of the tenant's PostgreSQL data
 * @param appContainer the tenant app
 */
public record DockerNames(String postgresContainer, String postgresVolume, String appContainer) {
  public static final int MAX = 63;
  private static final String PREFIX = "conductor-";

  public static DockerNames of(TenantName tenant) {
    String slug = tenant.value();
    return new DockerNames(
        BoundedName.fit(PREFIX + slug, "-postgres", MAX, slug),
        BoundedName.fit(PREFIX + slug, "-pgdata", MAX, slug),
        BoundedName.fit(PREFIX + slug, "-app", MAX, slug));
  }
}
