package dev.conductor.provisioning;

import jakarta.annotation.Nullable;

/**
 * Creates, inspects and destroys one tenant's resources: database, queue (bus topology), app
 * registration and worker container template. Provision and deprovision must converge when re-run
 * after a crash half-way: every step creates-if-absent or removes-if-present.
 *
 * <p>Cancellation: the conductor cancels a running call by interrupting the thread that made it.
 * The adapter stops at its next safe point (between steps, or by cancelling the engine's running
 * update) and throws {@link ProvisioningCancelledException}; what it did so far stays, and a later
 * call converges from there. A call made on an already interrupted thread is cancelled before its
 * first step.
 */
public interface Provisioner {

  /** Short name of the adapter, as configured ({@code local}, {@code pulumi}). */
  String kind();

  ProvisionedResources provision(TenantSpec tenant, ProgressListener progress);

  void deprovision(TenantSpec tenant, ProgressListener progress);

  /**
   * Reads what exists and reports how it differs from what provision made (drift), one line each;
   * changes no resource the tenant uses. Each difference is also reported as a progress warning as
   * it is found. Secrets that every provision rotates are not differences.
   */
  ResourceDiff refresh(TenantSpec tenant, ProgressListener progress);

  /**
   * {@link #refresh(TenantSpec, ProgressListener)}, plus whether what was stored for the tenant
   * still works as its apps use it (its database's host, port, role and password), where the
   * adapter can check that from here.
   *
   * @param storedDatabase the database resource stored for the tenant, or null if none was
   */
  default ResourceDiff refresh(
      TenantSpec tenant, @Nullable Resource storedDatabase, ProgressListener progress) {
    return refresh(tenant, progress);
  }

  /**
   * What provision(tenant) would change now (e.g. after a plan change), without changing anything;
   * each change is also reported as progress. Empty when provision would change nothing but the
   * secrets it rotates on every run.
   */
  ResourceDiff preview(TenantSpec tenant, ProgressListener progress);
}
