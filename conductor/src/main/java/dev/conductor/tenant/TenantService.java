package dev.conductor.tenant;

import dev.conductor.api.ConflictException;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.operation.Operation;
import dev.conductor.operation.OperationExecutor;
import dev.conductor.operation.OperationKind;
import dev.conductor.operation.OperationLog;
import dev.conductor.operation.OperationRepository;
import dev.conductor.plan.Plans;
import dev.conductor.provisioning.TenantName;
import dev.conductor.secret.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Onboarding, offboarding, retries, plan updates, refreshes and key rotation, as the operator API
 * sees them.
 */
@Singleton
public class TenantService {
  private final TenantRepository tenants;
  private final TenantResources resources;
  private final OperationRepository operations;
  private final LatestOperations latestOperations;
  private final OperationLog log;
  private final Plans plans;
  private final Provider<OperationExecutor> executor;
  private final TransactionOperations<Connection> tx;
  private final Clock clock;
  private final KeyRevocations revocations;

  TenantService(
      TenantRepository tenants,
      TenantResources resources,
      OperationRepository operations,
      LatestOperations latestOperations,
      OperationLog log,
      Plans plans,
      Provider<OperationExecutor> executor,
      TransactionOperations<Connection> tx,
      Clock clock,
      KeyRevocations revocations) {
    this.tenants = tenants;
    this.resources = resources;
    this.operations = operations;
    this.latestOperations = latestOperations;
    this.log = log;
    this.plans = plans;
    this.executor = executor;
    this.tx = tx;
    this.clock = clock;
    this.revocations = revocations;
  }

  /**
   * Runs a write and, after its commit, waits until every replica has evicted the key changes it
   * made ({@link KeyRevocations}), so that the answer means the change holds everywhere.
   */
  private <T> T writeConfirmingKeys(Function<List<KeyRevocations.Pending>, T> work) {
    List<KeyRevocations.Pending> changes = new ArrayList<>();
    T result = tx.executeWrite(status -> work.apply(changes));
    changes.forEach(revocations::confirm);
    return result;
  }

  /** Updates the tenant row, noting a change that authentication depends on. */
  private Tenant update(Tenant before, Tenant after, List<KeyRevocations.Pending> changes) {
    Tenant updated = tenants.update(after);
    Connection connection = (Connection) tx.findTransactionStatus().orElseThrow().getConnection();
    KeyRevocations.Pending pending = revocations.begin(connection, before, updated);
    if (pending != null) {
      changes.add(pending);
    }
    return updated;
  }

  /** The result of onboarding: the API key is in here and nowhere else, ever. */
  public record Onboarded(Tenant tenant, String apiKey, UUID operationId) {}

  /** {@code targetPlan}: the plan an update (or its retry) moves the tenant to. */
  public record Started(Tenant tenant, UUID operationId, @Nullable String targetPlan) {
    Started(Tenant tenant, UUID operationId) {
      this(tenant, operationId, null);
    }
  }

  public record RotatedKey(Tenant tenant, String apiKey) {}

  public Onboarded create(@Nullable String rawName, @Nullable String rawPlan) {
    TenantName name = parseName(rawName);
    String plan = plans.require(rawPlan == null ? Plans.DEFAULT : rawPlan).name();
    Onboarded onboarded;
    try {
      onboarded = tx.executeWrite(status -> insert(name, plan));
    } catch (DataAccessException e) {
      // Two creates raced past the check; the partial unique index decided.
      if (tenants.findLive(name.value()).isPresent()) {
        throw new ConflictException("tenant '" + name + "' already exists");
      }
      throw e;
    }
    executor.get().wake();
    return onboarded;
  }

  private Onboarded insert(TenantName name, String plan) {
    if (tenants.findLive(name.value()).isPresent()) {
      throw new ConflictException("tenant '" + name + "' already exists");
    }
    Instant now = clock.instant();
    ApiKeys.Issued key = ApiKeys.issue();
    Tenant tenant =
        new Tenant(
            UUID.randomUUID(),
            name.value(),
            plan,
            TenantStatus.PROVISIONING,
            key.hash(),
            key.credentialId(),
            null,
            now,
            now);
    tenants.save(tenant);
    Operation operation =
        operations.save(Operation.queued(tenant.id(), OperationKind.PROVISION, now));
    log.info(operation.id(), "onboarding tenant " + name + " on plan " + plan + ": queued");
    return new Onboarded(tenant, key.key(), operation.id());
  }

  public List<Tenant> list() {
    return tenants.findAllLive();
  }

  /** Up to {@code limit} live tenants by name after {@code afterName}; null filters are skipped. */
  public List<Tenant> page(
      @Nullable TenantStatus status,
      @Nullable String plan,
      @Nullable String namePrefix,
      @Nullable String afterName,
      int limit) {
    return tenants.findLivePage(
        status == null ? null : status.name(), plan, namePrefix, afterName, limit);
  }

  /** The live tenant, or the last deleted one of that name (so offboarding ends visibly). */
  public Tenant get(String name) {
    return tenants
        .findLatest(name)
        .orElseThrow(() -> new NotFoundException("tenant '" + name + "' not found"));
  }

  public Map<String, Map<String, String>> resourcesOf(Tenant tenant) {
    return resources.identifiers(tenant.id());
  }

  public Optional<Operation> latestOperation(Tenant tenant) {
    return operations.findLatestForTenant(tenant.id());
  }

  /** What a listing shows of each tenant beyond its row: two queries for the whole list. */
  public record ListingDetails(
      Map<UUID, UUID> latestOperations, Map<UUID, Map<String, Map<String, String>>> resources) {}

  public ListingDetails listingDetails(List<Tenant> listed) {
    List<UUID> ids = listed.stream().map(Tenant::id).toList();
    return new ListingDetails(latestOperations.of(ids), resources.identifiers(ids));
  }

  public Started delete(String name) {
    Started started = writeConfirmingKeys(changes -> startDelete(name, changes));
    executor.get().wake();
    return started;
  }

  private Started startDelete(String name, List<KeyRevocations.Pending> changes) {
    Tenant tenant = lockLive(name);
    if (tenant.status() == TenantStatus.DELETING) {
      Operation active = operations.findActiveForTenant(tenant.id()).orElse(null);
      if (active != null) {
        return new Started(tenant, active.id());
      }
    }
    rejectIfBusy(tenant);
    return start(
        tenant,
        OperationKind.DEPROVISION,
        null,
        TenantStatus.DELETING,
        "offboarding tenant ",
        changes);
  }

  public Started retry(String name) {
    Started started = writeConfirmingKeys(changes -> startRetry(name, changes));
    executor.get().wake();
    return started;
  }

  /** Re-runs the provision, deprovision or update that failed or was cancelled. */
  private Started startRetry(String name, List<KeyRevocations.Pending> changes) {
    Tenant tenant = lockLive(name);
    if (tenant.status() != TenantStatus.FAILED) {
      throw new ConflictException(
          "tenant '" + name + "' is " + tenant.status() + "; only FAILED tenants can be retried");
    }
    Operation failed = operations.findLatestChangeForTenant(tenant.id()).orElse(null);
    OperationKind kind = failed == null ? OperationKind.PROVISION : failed.kind();
    String plan = failed != null && kind == OperationKind.UPDATE ? failed.plan() : null;
    TenantStatus status =
        switch (kind) {
          case DEPROVISION -> TenantStatus.DELETING;
          case UPDATE -> TenantStatus.UPDATING;
          default -> TenantStatus.PROVISIONING;
        };
    String what = "retrying " + kind.name().toLowerCase() + " of tenant ";
    return start(tenant, kind, plan, status, what, changes);
  }

  /** Reads the READY tenant's resources and reports drift; the tenant stays READY meanwhile. */
  public Started refresh(String name) {
    Started started = tx.executeWrite(status -> startRefresh(name));
    executor.get().wake();
    return started;
  }

  private Started startRefresh(String name) {
    Tenant tenant = lockLive(name);
    requireReady(tenant, "refreshed");
    rejectIfBusy(tenant);
    return new Started(tenant, queue(tenant, OperationKind.REFRESH, null, "refreshing tenant "));
  }

  /**
   * Moves a READY tenant to another plan: UPDATING while the provisioner previews and provisions,
   * READY on the new plan afterwards. Empty when the tenant is already on that plan.
   */
  public Optional<Started> update(String name, String rawPlan) {
    Optional<Started> started = writeConfirmingKeys(changes -> startUpdate(name, rawPlan, changes));
    started.ifPresent(s -> executor.get().wake());
    return started;
  }

  private Optional<Started> startUpdate(
      String name, String rawPlan, List<KeyRevocations.Pending> changes) {
    Tenant tenant = lockLive(name);
    String plan = plans.require(rawPlan).name();
    requireReady(tenant, "updated");
    if (plan.equals(tenant.plan())) {
      return Optional.empty();
    }
    rejectIfBusy(tenant);
    String what = "updating plan " + tenant.plan() + " → " + plan + " of tenant ";
    return Optional.of(
        start(tenant, OperationKind.UPDATE, plan, TenantStatus.UPDATING, what, changes));
  }

  /**
   * Reports what {@link #update} to the plan would change (settings, resource changes, a refusal
   * for data loss) as an operation's events, changing nothing: the tenant stays READY meanwhile.
   */
  public Started preview(String name, String rawPlan) {
    Started started = tx.executeWrite(status -> startPreview(name, rawPlan));
    executor.get().wake();
    return started;
  }

  private Started startPreview(String name, String rawPlan) {
    Tenant tenant = lockLive(name);
    String plan = plans.require(rawPlan).name();
    requireReady(tenant, "previewed");
    rejectIfBusy(tenant);
    String what = "previewing plan " + tenant.plan() + " → " + plan + " of tenant ";
    return new Started(tenant, queue(tenant, OperationKind.PREVIEW, plan, what), plan);
  }

  private static void requireReady(Tenant tenant, String what) {
    if (tenant.status() != TenantStatus.READY) {
      throw new ConflictException(
          "tenant '"
              + tenant.name()
              + "' is "
              + tenant.status()
              + "; only READY tenants can be "
              + what);
    }
  }

  /** READY → SUSPENDED: the tenant's apps are refused (403) until it is resumed. */
  public Tenant suspend(String name) {
    return writeConfirmingKeys(
        changes -> move(name, TenantStatus.READY, TenantStatus.SUSPENDED, changes));
  }

  /** SUSPENDED → READY. */
  public Tenant resume(String name) {
    return writeConfirmingKeys(
        changes -> move(name, TenantStatus.SUSPENDED, TenantStatus.READY, changes));
  }

  private Tenant move(
      String name, TenantStatus from, TenantStatus to, List<KeyRevocations.Pending> changes) {
    Tenant tenant = lockLive(name);
    if (tenant.status() == to) {
      return tenant;
    }
    if (tenant.status() != from) {
      throw new ConflictException(
          "tenant '"
              + name
              + "' is "
              + tenant.status()
              + "; only "
              + from
              + " tenants can become "
              + to);
    }
    return update(tenant, tenant.withStatus(to, null, clock.instant()), changes);
  }

  public RotatedKey rotateKey(String name) {
    return writeConfirmingKeys(changes -> rotate(name, changes));
  }

  private RotatedKey rotate(String name, List<KeyRevocations.Pending> changes) {
    Tenant tenant = lockLive(name);
    if (tenant.status() == TenantStatus.DELETING) {
      throw new ConflictException("tenant '" + name + "' is being deleted");
    }
    Instant now = clock.instant();
    ApiKeys.Issued key = ApiKeys.issue();
    Tenant rotated = update(tenant, tenant.withKey(key.hash(), key.credentialId(), now), changes);
    resources.updateIdentifier(
        tenant.id(), TenantResources.APP, "credentialId", key.credentialId(), now);
    return new RotatedKey(rotated, key.key());
  }

  private Started start(
      Tenant tenant,
      OperationKind kind,
      @Nullable String plan,
      TenantStatus status,
      String what,
      List<KeyRevocations.Pending> changes) {
    Tenant updated = update(tenant, tenant.withStatus(status, null, clock.instant()), changes);
    return new Started(updated, queue(tenant, kind, plan, what), plan);
  }

  private UUID queue(Tenant tenant, OperationKind kind, @Nullable String plan, String what) {
    Operation operation =
        operations.save(Operation.queued(tenant.id(), kind, plan, clock.instant()));
    log.info(operation.id(), what + tenant.name() + ": queued");
    return operation.id();
  }

  private void rejectIfBusy(Tenant tenant) {
    operations
        .findActiveForTenant(tenant.id())
        .ifPresent(
            active -> {
              throw new ConflictException(
                  "tenant '"
                      + tenant.name()
                      + "' has operation "
                      + active.id()
                      + " in progress ("
                      + active.kind()
                      + "); wait for it to end");
            });
  }

  private Tenant lockLive(String name) {
    Tenant tenant =
        tenants
            .findLive(name)
            .orElseThrow(() -> new NotFoundException("tenant '" + name + "' not found"));
    return tenants.lockById(tenant.id()).orElseThrow();
  }

  private static TenantName parseName(@Nullable String raw) {
    String problem = TenantName.problemWith(raw);
    if (problem != null) {
      throw new InvalidRequestException(problem);
    }
    return new TenantName(Objects.requireNonNull(raw, "problemWith reports a missing name"));
  }
}
