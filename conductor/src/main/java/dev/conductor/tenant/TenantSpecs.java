package dev.conductor.tenant;

import dev.conductor.ConductorSettings;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.provisioning.AppRegistration;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.WorkerTemplate;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;

/** Builds what the provisioner needs from a tenant row and its plan. */
@Singleton
public class TenantSpecs {
  private final Plans plans;
  @Nullable private final String publicUrl;
  private final Provider<EmbeddedServer> server;

  TenantSpecs(Plans plans, ConductorSettings settings, Provider<EmbeddedServer> server) {
    this.plans = plans;
    this.publicUrl = settings.publicUrl();
    this.server = server;
  }

  /** The configured public URL, else this server's own address (its real port, even if random). */
  private String publicUrl() {
    if (publicUrl != null && !publicUrl.isBlank()) {
      return publicUrl.replaceAll("/+$", "");
    }
    EmbeddedServer own = server.get();
    return own.getScheme() + "://localhost:" + own.getPort();
  }

  public TenantSpec specFor(Tenant tenant) {
    return specFor(tenant, tenant.plan());
  }

  /** The spec the tenant would have on another plan, for an update. */
  public TenantSpec specFor(Tenant tenant, String planName) {
    Plan plan = plans.require(planName);
    TenantName name = new TenantName(tenant.name());
    return new TenantSpec(
        name,
        plan.name(),
        new AppRegistration(
            tenant.credentialId() == null ? "" : tenant.credentialId(), publicUrl() + "/v1/jobs"),
        new WorkerTemplate(
            plan.workerImage(),
            plan.command(),
            Map.of("CONDUCTOR_TENANT", tenant.name()),
            plan.workerCapacity()));
  }
}
