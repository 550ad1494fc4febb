package dev.conductor.provisioning.local;

import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.AppRegistration;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.WorkerTemplate;
import jakarta.annotation.Nullable;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions a tenant without Pulumi: a PostgreSQL role and database on a shared server, the bus
 * topology through the {@link MessageBus}, and the app and worker template as plain records.
 */
public final class LocalProvisioner implements Provisioner {
  public static final String KIND = "local";
  private static final Logger log = LoggerFactory.getLogger(LocalProvisioner.class);

  private final TenantDatabases databases;
  private final TenantTopology topology;

  public LocalProvisioner(LocalProvisionerSettings settings, MessageBus bus) {
    this(settings, bus, new Passwords());
  }

  LocalProvisioner(LocalProvisionerSettings settings, MessageBus bus, Supplier<String> passwords) {
    this.databases = new TenantDatabases(settings, passwords);
    this.topology = new TenantTopology(Objects.requireNonNull(bus, "bus"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ProvisionedResources provision(TenantSpec tenant, ProgressListener progress) {
    requireComplete(tenant);
    ResourceNames names = tenant.names();
    log.info("provision tenant={} provisioner={}", tenant.name(), KIND);
    Resource database =
        progress.step("database", "create", () -> databases.create(names, progress));
    Resource queue = progress.step("queue", "create", () -> topology.create(names, progress));
    Cancellation.checkpoint("registering the app");
    Resource app = progress.step("app", "create", () -> app(tenant.app(), progress));
    Resource container =
        progress.step("container", "create", () -> container(tenant.worker(), progress));
    log.info("provisioned tenant={} provisioner={}", tenant.name(), KIND);
    return new ProvisionedResources(database, queue, app, container);
  }

  @Override
  public void deprovision(TenantSpec tenant, ProgressListener progress) {
    ResourceNames names = tenant.names();
    log.info("deprovision tenant={} provisioner={}", tenant.name(), KIND);
    progress.step("queue", "delete", () -> topology.delete(names, progress));
    progress.step("database", "delete", () -> databases.drop(names, progress));
    log.info("deprovisioned tenant={} provisioner={}", tenant.name(), KIND);
  }

  /**
   * Drift of the role, the databases' ownership and connect privileges, the topic and the queue, as
   * warnings. The app and container are records, not engine resources: they cannot drift.
   */
  @Override
  public ResourceDiff refresh(TenantSpec tenant, ProgressListener progress) {
    return refresh(tenant, null, progress);
  }

  /** Also connects to the database as the tenant's apps do, with what was stored for them. */
  @Override
  public ResourceDiff refresh(
      TenantSpec tenant, @Nullable Resource storedDatabase, ProgressListener progress) {
    log.info("refresh tenant={} provisioner={}", tenant.name(), KIND);
    DiffReport report = DiffReport.refresh(progress);
    inspect(tenant.names(), report, progress);
    if (storedDatabase != null) {
      Cancellation.checkpoint("connecting as the tenant's apps do");
      databases.inspectAccess(tenant.names(), storedDatabase, report);
    }
    return report.diff();
  }

  /**
   * What provision would create or put back. The app and container are records built from the spec
   * and the plan on every run, so a plan change alone changes no resource of this adapter.
   */
  @Override
  public ResourceDiff preview(TenantSpec tenant, ProgressListener progress) {
    log.info("preview tenant={} provisioner={}", tenant.name(), KIND);
    DiffReport report = DiffReport.preview(progress);
    inspect(tenant.names(), report, progress);
    return report.diff();
  }

  private void inspect(ResourceNames names, Inspection inspection, ProgressListener progress) {
    databases.inspect(names, inspection);
    topology.inspect(names, inspection, progress);
  }

  private static Resource app(AppRegistration app, ProgressListener progress) {
    progress.info("app " + app.credentialId() + ": jobs endpoint " + app.jobsEndpoint());
    return Resource.of(app.identifiers());
  }

  /** Environment values may be secrets, so only their keys become identifiers. */
  private static Resource container(WorkerTemplate worker, ProgressListener progress) {
    progress.info(
        "container: "
            + (worker.image() != null ? "image " + worker.image() : "local command")
            + ", capacity "
            + worker.capacity());
    return Resource.of(worker.identifiers());
  }

  private static void requireComplete(TenantSpec tenant) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tenant.name(), "tenant name");
    AppRegistration app = Objects.requireNonNull(tenant.app(), "tenant app registration");
    Objects.requireNonNull(app.credentialId(), "app credentialId");
    Objects.requireNonNull(app.jobsEndpoint(), "app jobsEndpoint");
    Objects.requireNonNull(tenant.worker(), "tenant worker template");
  }
}
