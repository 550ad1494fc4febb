package dev.conductor.tenancy;

import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.operation.CancelToken;
import dev.conductor.operation.Operation;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.operation.OperationLog;
import dev.conductor.operation.OperationSettings;
import dev.conductor.operation.OperationWork;
import dev.conductor.plan.PlanChanges;
import dev.conductor.plan.Plans;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.reports.ReportListeners;
import dev.conductor.tenant.TenantLifecycle;
import dev.conductor.tenant.TenantLifecycle.PlanMove;
import dev.conductor.tenant.TenantResources;
import dev.conductor.tracing.TraceContext;
import dev.conductor.tracing.Tracing;
import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What each kind of operation does to a tenant, step by step, for the executor that claimed it, and
 * how its end moves the tenant. Provisioner calls run through the {@link CancelToken}, so a cancel
 * request can interrupt them.
 */
@Singleton
class OperationSteps implements OperationWork {
  private final OperationLog log;
  private final TenantLifecycle lifecycle;
  private final WorkerLifecycle workerLifecycle;
  private final Provider<ReportListeners> reportListeners;
  private final Provisioner provisioner;
  private final Plans plans;
  private final OperationSettings settings;
  private final TenantResources resources;
  private final Tracing tracing;

  OperationSteps(
      OperationLog log,
      TenantLifecycle lifecycle,
      WorkerLifecycle workerLifecycle,
      Provider<ReportListeners> reportListeners,
      Provisioner provisioner,
      Plans plans,
      OperationSettings settings,
      TenantResources resources,
      Tracing tracing) {
    this.tracing = tracing;
    this.log = log;
    this.lifecycle = lifecycle;
    this.workerLifecycle = workerLifecycle;
    this.reportListeners = reportListeners;
    this.provisioner = provisioner;
    this.plans = plans;
    this.settings = settings;
    this.resources = resources;
  }

  @Override
  public String provisionerKind() {
    return provisioner.kind();
  }

  @Override
  public void failed(Claim claim, String owner, @Nullable String reason) {
    lifecycle.failed(claim, owner, reason);
  }

  @Override
  public void cancelled(Claim claim, String owner) {
    lifecycle.cancelled(claim, owner);
  }

  @Override
  public void cancelledQueued(Operation operation) {
    lifecycle.cancelQueued(operation);
  }

  @Override
  public void run(Claim claim, String owner, CancelToken cancel) {
    // One trace per run of an operation, a span per provisioning step under it.
    Span span =
        tracing
            .root("operation " + claim.kind())
            .setAttribute("conductor.operation.id", claim.operationId().toString());
    ProgressListener progress = log.listener(claim.operationId(), settings.stepDelay(), span);
    try (Scope scope = TraceContext.activate(span)) {
      switch (claim.kind()) {
        case PROVISION -> provision(claim, owner, cancel, progress);
        case DEPROVISION -> deprovision(claim, owner, cancel, progress);
        case REFRESH -> refresh(claim, owner, cancel, progress);
        case UPDATE -> update(claim, owner, cancel, progress);
        case PREVIEW -> preview(claim, owner, cancel, progress);
      }
    } catch (RuntimeException e) {
      Tracing.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  private void provision(Claim claim, String owner, CancelToken cancel, ProgressListener progress) {
    TenantSpec spec = lifecycle.specFor(claim.tenantId());
    ProvisionedResources resources =
        cancel.interruptibly(() -> provisioner.provision(spec, progress));
    lifecycle.provisioned(claim, owner, resources);
  }

  private void deprovision(
      Claim claim, String owner, CancelToken cancel, ProgressListener progress) {
    TenantSpec spec = lifecycle.specFor(claim.tenantId());
    cancel.checkpoint();
    progress.info("stopping workers and cancelling unfinished jobs");
    workerLifecycle.stopAllOf(claim.tenantId(), Duration.ofSeconds(30));
    reportListeners.get().forget(claim.tenantId());
    cancel.interruptibly(
        () -> {
          provisioner.deprovision(spec, progress);
          return null;
        });
    lifecycle.deprovisioned(claim, owner);
  }

  /** Reports drift and repairs nothing: the tenant stays as it is. */
  private void refresh(Claim claim, String owner, CancelToken cancel, ProgressListener progress) {
    TenantSpec spec = lifecycle.specFor(claim.tenantId());
    Resource database = resources.resource(claim.tenantId(), TenantResources.DATABASE).orElse(null);
    ResourceDiff drift = cancel.interruptibly(() -> provisioner.refresh(spec, database, progress));
    // Before the operation ends, so the event stream, which stops at the end, carries it.
    log.info(
        claim.operationId(),
        drift.isEmpty()
            ? "in sync: the resources are as provisioned"
            : drift.changes().size()
                + " difference(s) from what provisioning made; reported, not repaired");
    lifecycle.reported(claim, owner);
  }

  /**
   * Previews, then provisions with the target plan. The tenant keeps serving on its current plan,
   * with its running workers, until the new plan and resources are stored together.
   */
  private void update(Claim claim, String owner, CancelToken cancel, ProgressListener progress) {
    PlanMove move = planMove(claim);
    Optional<String> refusal = previewed(claim, move, cancel, progress, false);
    if (refusal.isPresent()) {
      log.error(claim.operationId(), refusal.get());
      lifecycle.updateRefused(claim, owner, refusal.get());
      return;
    }
    ProvisionedResources resources =
        cancel.interruptibly(() -> provisioner.provision(move.spec(), progress));
    lifecycle.updated(claim, owner, resources);
  }

  /**
   * What an update to the plan would do, each resource change on its own line, and nothing done:
   * the tenant stays READY on its plan. A move an update would refuse is reported as a warning.
   */
  private void preview(Claim claim, String owner, CancelToken cancel, ProgressListener progress) {
    previewed(claim, planMove(claim), cancel, progress, true)
        .ifPresent(refusal -> log.warn(claim.operationId(), "an update would be " + refusal));
    log.info(claim.operationId(), "preview only: nothing was changed");
    lifecycle.reported(claim, owner);
  }

  private PlanMove planMove(Claim claim) {
    String target = Objects.requireNonNull(claim.plan(), claim.kind() + " names its target plan");
    return lifecycle.planMove(claim.tenantId(), target);
  }

  /**
   * Logs the setting and resource changes of the move, each resource change too when {@code
   * detailed}; returns why an update must not go ahead, if it would lose the tenant's data.
   */
  private Optional<String> previewed(
      Claim claim, PlanMove move, CancelToken cancel, ProgressListener progress, boolean detailed) {
    UUID id = claim.operationId();
    String from = move.from();
    String target = Objects.requireNonNull(claim.plan(), "checked by planMove");
    List<String> settingChanges = PlanChanges.between(plans.require(from), plans.require(target));
    log.info(
        id,
        "plan "
            + from
            + " → "
            + target
            + (settingChanges.isEmpty()
                ? ": same settings"
                : ": " + String.join(", ", settingChanges)));
    ResourceDiff changes = cancel.interruptibly(() -> provisioner.preview(move.spec(), progress));
    log.info(
        id,
        changes.isEmpty()
            ? "preview: no resource changes"
            : "preview: " + changes.changes().size() + " resource change(s)");
    if (detailed) {
      changes.changes().forEach(change -> log.info(id, "  " + change));
    }
    return changes.dataLossRefusal("plan change " + from + " → " + target);
  }
}
