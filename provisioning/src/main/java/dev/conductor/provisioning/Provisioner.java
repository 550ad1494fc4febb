package dev.conductor.provisioning;

/**
 * Creates and destroys one tenant's resources: database, queue (bus topology), app registration and
 * worker container template. Both calls must converge when re-run after a crash half-way: every
 * step creates-if-absent or removes-if-present.
 */
public interface Provisioner {

  /** Short name of the adapter, as configured ({@code local}, {@code pulumi}). */
  String kind();

  ProvisionedResources provision(TenantSpec tenant, ProgressListener progress);

  void deprovision(TenantSpec tenant, ProgressListener progress);
}
