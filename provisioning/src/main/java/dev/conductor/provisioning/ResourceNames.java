package dev.conductor.provisioning;

/**
 * Every name derived from a tenant, in one place. Slugs are [a-z0-9-]; PostgreSQL identifiers get
 * '_' for '-' so they never need quoting, and a prefix so they cannot collide with system names.
 * {@code workerPrincipal} is the bus user the tenant's workers connect as.
 */
public record ResourceNames(
    String database,
    String role,
    String jobTopic,
    String controlQueue,
    String stack,
    String workerPrincipal) {

  public static ResourceNames of(TenantName tenant) {
    String slug = tenant.value();
    String identifier = slug.replace('-', '_');
    return new ResourceNames(
        "tenant_" + identifier,
        "tenant_" + identifier + "_owner",
        "tenant." + slug + ".jobs",
        "tenant." + slug + ".control",
        "tenant-" + slug,
        "tenant." + slug + ".worker");
  }
}
