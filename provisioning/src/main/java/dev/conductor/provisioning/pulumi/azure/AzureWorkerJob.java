package dev.conductor.provisioning.pulumi.azure;

import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.BoundedName;

/**
 * What the tenant's Container Apps job (declared by {@link AzureTenantStack}) and the conductor's
 * {@code aca} runtime (which starts one execution of it per worker) must agree on, in one place:
 * the program declares the container, the secret and the tags; the runtime's per-execution override
 * names only these. No Pulumi types here, so the conductor can use it without the 55 MB provider
 * SDK.
 */
public final class AzureWorkerJob {
  /** The job template's one container, which an execution override must name. */
  public static final String CONTAINER = "worker";

  /**
   * The job secret holding the tenant's worker bus key. The program declares it (with {@link
   * #BUS_PASSWORD_UNSET}) because the bus issues the key after the stack is up; the runtime puts
   * the current key into it before it starts an execution. Never a plain override value.
   */
  public static final String BUS_PASSWORD_SECRET = "conductor-bus-password";

  /** What the bus password secret holds until the runtime puts the tenant's key in. */
  public static final String BUS_PASSWORD_UNSET = "set-by-the-conductor";

  /** The variable the worker reads its bus password from, a reference to the secret above. */
  public static final String BUS_PASSWORD_VARIABLE = "CONDUCTOR_BUS_PASSWORD";

  /** The worker's GUID, a plain override value; the runtime reads it back from executions. */
  public static final String WORKER_ID_VARIABLE = "CONDUCTOR_WORKER_ID";

  /** Which conductor started an execution: it lists and adopts only its own. */
  public static final String OWNER_VARIABLE = "CONDUCTOR_OWNER";

  /** Tag of a worker job, valued with its tenant: how the runtime finds the jobs to list. */
  public static final String WORKERS_TAG = "conductor-workers";

  /** Tag showing the plan's worker limit, which the conductor enforces itself. */
  public static final String MAX_WORKERS_TAG = "conductor-max-workers";

  /**
   * Tag of a located worker job, valued with its location's name; the default job has none. The
   * runtime checks it on the job it starts a located worker in.
   */
  public static final String LOCATION_TAG = "conductor-location";

  // 32 bits of SHA-256 of tenant and location: what keeps located job names apart.
  private static final int LOCATION_HASH_LENGTH = 8;

  private AzureWorkerJob() {}

  /**
   * The name of the tenant's worker job in {@code location} ('' is the default job, {@link
   * AzureNames#workerJob()}): {@code <slug>-<location>-<hash>}, cut to Container Apps' 32
   * characters. The hash of tenant and location keeps names apart where '-' alone would not ({@code
   * a-b} in {@code c} against {@code a} in {@code b-c}); it is hex, so never {@code -worker}.
   */
  public static String name(TenantName tenant, String location) {
    String slug = tenant.value();
    if (location.isEmpty()) {
      return BoundedName.fit(slug, "-worker", AzureNames.CONTAINER_APP_MAX, slug);
    }
    String identity = slug + "/" + location;
    return BoundedName.fit(
        slug + "-" + location,
        "-" + BoundedName.sha256Hex(identity).substring(0, LOCATION_HASH_LENGTH),
        AzureNames.CONTAINER_APP_MAX,
        identity);
  }
}
