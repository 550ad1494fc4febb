package dev.conductor.provisioning;

/** What to provision for one tenant: its names, plan, app registration and worker template. */
public record TenantSpec(TenantName name, String plan, AppRegistration app, WorkerTemplate worker) {

  public ResourceNames names() {
    return ResourceNames.of(name);
  }
}
