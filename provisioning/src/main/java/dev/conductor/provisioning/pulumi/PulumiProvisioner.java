package dev.conductor.provisioning.pulumi;

import com.pulumi.Context;
import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.local.LocalProvisionerSettings;
import dev.conductor.provisioning.local.Passwords;
import dev.conductor.provisioning.local.TenantDatabases;
import dev.conductor.provisioning.local.TenantTopology;
import dev.conductor.provisioning.pulumi.StackEngine.Refresh;
import dev.conductor.provisioning.pulumi.azure.AdminPassword;
import dev.conductor.provisioning.pulumi.azure.AzureTenantStack;
import dev.conductor.provisioning.pulumi.docker.DockerTenantStack;
import jakarta.annotation.Nullable;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions each tenant as one Pulumi stack ({@code tenant-<slug>}) in its own workspace, through
 * the {@link StackEngine}. The program makes the database, app and worker container (and, on Azure,
 * the job topic and control queue); the conductor's bus then grants the tenant's workers their
 * scoped credentials, and makes the topology itself where the program does not.
 */
public final class PulumiProvisioner implements Provisioner, AutoCloseable {
  public static final String KIND = "pulumi";
  private static final Logger log = LoggerFactory.getLogger(PulumiProvisioner.class);

  private final StackTarget target;
  private final Function<String, InfrastructurePlan> plans;
  private final StackEngine engine;
  private final StackRunner runner;
  private final Path workspaces;
  private final TenantTopology topology;
  private final Clock clock;
  private final @Nullable LocalProvisionerSettings sharedDatabaseServer;
  private final Supplier<String> passwords;

  /**
   * {@code plans}: the infrastructure of each plan, by plan name. {@code sharedDatabaseServer}: how
   * the conductor reaches the shared PostgreSQL server as its admin, to create the tenant role that
   * no Pulumi provider here can (azure plans without a dedicated server); null for targets that
   * need none.
   */
  public PulumiProvisioner(
      StackTarget target,
      Function<String, InfrastructurePlan> plans,
      StackEngine engine,
      PulumiSettings settings,
      MessageBus bus,
      @Nullable LocalProvisionerSettings sharedDatabaseServer,
      Clock clock) {
    this(target, plans, engine, settings, bus, sharedDatabaseServer, clock, new Passwords());
  }

  PulumiProvisioner(
      StackTarget target,
      Function<String, InfrastructurePlan> plans,
      StackEngine engine,
      PulumiSettings settings,
      MessageBus bus,
      @Nullable LocalProvisionerSettings sharedDatabaseServer,
      Clock clock,
      Supplier<String> passwords) {
    this.target = target;
    this.plans = plans;
    this.engine = engine;
    this.runner =
        new StackRunner(settings.maxConcurrent(), settings.lockAttempts(), settings.lockBackoff());
    this.workspaces = settings.workspaces();
    this.topology = new TenantTopology(bus);
    this.sharedDatabaseServer = sharedDatabaseServer;
    this.clock = clock;
    this.passwords = passwords;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ProvisionedResources provision(TenantSpec tenant, ProgressListener progress) {
    TenantStackConfig config = config(tenant);
    StackRequest stack = request(config);
    log.info("provision tenant={} provisioner={} target={}", tenant.name(), KIND, target.kind());
    progress.info(
        "pulumi " + target.kind() + " stack " + stack.stack() + " in workspace " + stack.workDir());
    readRealResources(stack, progress);
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    Map<String, Object> outputs = run(stack, "up", progress, () -> engine.up(stack, events));
    Map<String, Resource> made = StackOutputs.toResources(outputs);
    Resource database =
        withTenantRole(config, required(made, StackOutputs.DATABASE, stack), progress);
    // The bus grants the workers' credentials (a new password on every run) and, where the program
    // made no topic and queue (docker), makes them too. An Azure program's queue output names the
    // same topic and queue, and nothing more.
    Resource queue = topology.create(tenant.names(), progress);
    return new ProvisionedResources(
        database,
        queue,
        required(made, StackOutputs.APP, stack),
        required(made, StackOutputs.CONTAINER, stack));
  }

  @Override
  public void deprovision(TenantSpec tenant, ProgressListener progress) {
    // Destroy works from the stack's state alone: no configuration, so that no setting changed
    // since (a plan, a target) can keep a tenant from being offboarded.
    String name = tenant.names().stack();
    StackRequest stack =
        new StackRequest(name, workspaces.resolve(name), program(), Map.of(), Set.of(), Map.of());
    log.info("deprovision tenant={} provisioner={} target={}", tenant.name(), KIND, target.kind());
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(stack, "destroy", progress, () -> engine.destroy(stack, events));
    progress.info("stack " + stack.stack() + ": destroyed and removed");
    if (sharedDatabaseServer != null) {
      // Whatever the plan: a tenant on a dedicated server has no role here, and absent is fine.
      new TenantDatabases(sharedDatabaseServer, passwords).drop(tenant.names(), progress);
    }
    topology.delete(tenant.names(), progress);
  }

  /** Reports drift without writing it into the state: a repeated refresh reports it again. */
  @Override
  public ResourceDiff refresh(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(config(tenant));
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(stack, "refresh", progress, () -> engine.refresh(stack, Refresh.REPORT_ONLY, events));
    return events.diff();
  }

  @Override
  public ResourceDiff preview(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(config(tenant));
    readRealResources(stack, progress);
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(stack, "preview", progress, () -> engine.preview(stack, events));
    return events.diff();
  }

  /**
   * Pulumi compares the program with the stack's state, not with the real resources: reading them
   * into the state first makes preview and up see (and up repair) what changed outside Pulumi. A
   * conductor that died during an update left pending operations in the state; they are cleared the
   * same way, by reading the real resources back, never by guessing what happened.
   */
  private void readRealResources(StackRequest stack, ProgressListener progress) {
    boolean pending = run(stack, "inspect", progress, () -> engine.hasPendingOperations(stack));
    if (pending) {
      progress.warn(
          "stack "
              + stack.stack()
              + " has pending operations from an interrupted update; refreshing to clear them");
    }
    Refresh mode = pending ? Refresh.CLEAR_PENDING : Refresh.UPDATE_STATE;
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(stack, "refresh", progress, () -> engine.refresh(stack, mode, events));
  }

  /**
   * On a shared server the program made the database; the tenant's role, with the password the
   * stack holds, owning it and alone allowed to connect, is made here through SQL, as the local
   * provisioner does.
   */
  private Resource withTenantRole(
      TenantStackConfig config, Resource database, ProgressListener progress) {
    ResourceNames names = config.names();
    LocalProvisionerSettings server = sharedDatabaseServer;
    if (server == null || config.infrastructure().dedicatedDatabaseServer()) {
      return database;
    }
    String password = database.secrets().get("password");
    if (password == null) {
      throw new ProvisioningException(
          "stack " + names.stack() + " has no database password output", false, null);
    }
    return new TenantDatabases(server, () -> password).create(names, progress);
  }

  /** The tenant's stack configuration on its plan's infrastructure, with a fresh password. */
  private TenantStackConfig config(TenantSpec tenant) {
    try {
      return TenantStackConfig.of(tenant, plans.apply(tenant.plan()), target, freshPassword());
    } catch (IllegalArgumentException e) {
      throw new ProvisioningException(
          "tenant "
              + tenant.name()
              + " cannot be provisioned by the pulumi "
              + target.kind()
              + " target: "
              + e.getMessage(),
          false,
          null);
    }
  }

  private StackRequest request(TenantStackConfig config) {
    String stack = config.names().stack();
    return new StackRequest(
        stack,
        workspaces.resolve(stack),
        program(),
        config.toConfig(),
        config.secretKeys(),
        Map.of(
            TenantStackConfig.DATABASE_PASSWORD_KEY,
            StackOutputs.DATABASE + StackOutputs.SECRETS_SUFFIX + ".password"));
  }

  /**
   * Random base64url now and then lacks digits and symbols, which Azure's admin password rule
   * wants; the stack keeps the first password, so a refused one would fail every retry.
   */
  private String freshPassword() {
    String password = passwords.get();
    while (!AdminPassword.isAcceptedByAzure(password)) {
      password = passwords.get();
    }
    return password;
  }

  private Consumer<Context> program() {
    return target instanceof AzureTarget ? AzureTenantStack::stack : DockerTenantStack::stack;
  }

  private <T> T run(StackRequest stack, String what, ProgressListener progress, Supplier<T> call) {
    return runner.run(stack.stack(), what, progress, call, () -> engine.cancel(stack));
  }

  private void run(StackRequest stack, String what, ProgressListener progress, Runnable call) {
    run(
        stack,
        what,
        progress,
        () -> {
          call.run();
          return null;
        });
  }

  private static Resource required(Map<String, Resource> made, String kind, StackRequest stack) {
    Resource resource = made.get(kind);
    if (resource == null) {
      throw new ProvisioningException(
          "stack "
              + stack.stack()
              + " has no '"
              + kind
              + "' output; outputs: "
              + List.copyOf(made.keySet()),
          false,
          null);
    }
    return resource;
  }

  /** Stops the runner's threads; stack operations still running are abandoned to their leases. */
  @Override
  public void close() {
    runner.close();
  }
}
