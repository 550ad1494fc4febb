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
import dev.conductor.provisioning.local.Passwords;
import dev.conductor.provisioning.local.TenantTopology;
import dev.conductor.provisioning.pulumi.azure.AzureTenantStack;
import dev.conductor.provisioning.pulumi.docker.DockerTenantStack;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
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
public final class PulumiProvisioner implements Provisioner {
  public static final String KIND = "pulumi";
  private static final Logger log = LoggerFactory.getLogger(PulumiProvisioner.class);

  private final StackTarget target;
  private final Function<String, InfrastructurePlan> plans;
  private final StackEngine engine;
  private final StackRunner runner;
  private final Path workspaces;
  private final TenantTopology topology;
  private final Clock clock;
  private final Supplier<String> passwords = new Passwords();

  /** {@code plans}: the infrastructure of each plan, by plan name. */
  public PulumiProvisioner(
      StackTarget target,
      Function<String, InfrastructurePlan> plans,
      StackEngine engine,
      PulumiSettings settings,
      MessageBus bus,
      Clock clock) {
    this.target = target;
    this.plans = plans;
    this.engine = engine;
    this.runner =
        new StackRunner(settings.maxConcurrent(), settings.lockAttempts(), settings.lockBackoff());
    this.workspaces = settings.workspaces();
    this.topology = new TenantTopology(bus);
    this.clock = clock;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ProvisionedResources provision(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(tenant);
    log.info("provision tenant={} provisioner={} target={}", tenant.name(), KIND, target.kind());
    progress.info(
        "pulumi " + target.kind() + " stack " + stack.stack() + " in workspace " + stack.workDir());
    recoverInterruptedUpdate(stack, progress);
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    Map<String, Object> outputs = run(stack, "up", progress, () -> engine.up(stack, events));
    Map<String, Resource> made = StackOutputs.toResources(outputs);
    Resource queue = withWorkerAccess(made.get(StackOutputs.QUEUE), tenant.names(), progress);
    return new ProvisionedResources(
        required(made, StackOutputs.DATABASE, stack),
        queue,
        required(made, StackOutputs.APP, stack),
        required(made, StackOutputs.CONTAINER, stack));
  }

  @Override
  public void deprovision(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(tenant);
    log.info("deprovision tenant={} provisioner={} target={}", tenant.name(), KIND, target.kind());
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(
        stack,
        "destroy",
        progress,
        () -> {
          engine.destroy(stack, events);
          return null;
        });
    progress.info("stack " + stack.stack() + ": destroyed and removed");
    topology.delete(tenant.names(), progress);
  }

  @Override
  public ResourceDiff refresh(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(tenant);
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(
        stack,
        "refresh",
        progress,
        () -> {
          engine.refresh(stack, false, events);
          return null;
        });
    return new ResourceDiff(events.changes());
  }

  @Override
  public ResourceDiff preview(TenantSpec tenant, ProgressListener progress) {
    StackRequest stack = request(tenant);
    EngineEventReporter events = new EngineEventReporter(progress, clock);
    run(
        stack,
        "preview",
        progress,
        () -> {
          engine.preview(stack, events);
          return null;
        });
    return new ResourceDiff(events.changes());
  }

  /**
   * A conductor that died during an update leaves pending operations in the stack's state; they are
   * cleared by reading the real resources back, never by guessing what happened.
   */
  private void recoverInterruptedUpdate(StackRequest stack, ProgressListener progress) {
    if (run(stack, "inspect", progress, () -> engine.hasPendingOperations(stack))) {
      progress.warn(
          "stack "
              + stack.stack()
              + " has pending operations from an interrupted update; refreshing to clear them");
      EngineEventReporter events = new EngineEventReporter(progress, clock);
      run(
          stack,
          "refresh",
          progress,
          () -> {
            engine.refresh(stack, true, events);
            return null;
          });
    }
  }

  /**
   * The bus grants the workers' credentials (a new password on every run); where the program made
   * no topic and queue (docker), the bus makes them too. Identifiers the program returned (an Azure
   * namespace, say) are kept.
   */
  private Resource withWorkerAccess(Resource made, ResourceNames names, ProgressListener progress) {
    Resource granted = topology.create(names, progress);
    if (made == null) {
      return granted;
    }
    Map<String, String> identifiers = new HashMap<>(made.identifiers());
    identifiers.putAll(granted.identifiers());
    Map<String, String> secrets = new HashMap<>(made.secrets());
    secrets.putAll(granted.secrets());
    return new Resource(identifiers, secrets);
  }

  private StackRequest request(TenantSpec tenant) {
    TenantStackConfig config;
    try {
      config = TenantStackConfig.of(tenant, plans.apply(tenant.plan()), target, passwords.get());
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
    String stack = tenant.names().stack();
    return new StackRequest(
        stack,
        workspaces.resolve(stack),
        program(),
        config.toConfig(),
        config.secretKeys(),
        Set.of(TenantStackConfig.DATABASE_PASSWORD_KEY));
  }

  private Consumer<Context> program() {
    return target instanceof AzureTarget ? AzureTenantStack::stack : DockerTenantStack::stack;
  }

  private <T> T run(StackRequest stack, String what, ProgressListener progress, Supplier<T> call) {
    return runner.run(stack.stack(), what, progress, call, () -> engine.cancel(stack));
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
}
