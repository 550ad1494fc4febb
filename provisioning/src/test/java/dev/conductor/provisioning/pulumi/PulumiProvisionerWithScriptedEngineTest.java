package dev.conductor.provisioning.pulumi;

import static dev.conductor.provisioning.pulumi.EngineEvents.outputs;
import static dev.conductor.provisioning.pulumi.EngineEvents.pre;
import static dev.conductor.provisioning.pulumi.EngineEvents.state;
import static dev.conductor.provisioning.pulumi.EngineEvents.step;
import static dev.conductor.provisioning.pulumi.EngineEvents.urn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.StepEventMetadata;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.provisioning.AppRegistration;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.RecordingProgress;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.WorkerTemplate;
import dev.conductor.provisioning.local.LocalProvisionerSettings;
import dev.conductor.provisioning.local.PasswordCheckingPostgres;
import dev.conductor.provisioning.local.Passwords;
import dev.conductor.provisioning.pulumi.StackEngine.Refresh;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver without a Pulumi CLI: the engine boundary is scripted (it records each request and
 * answers with outputs and events as the Automation API would); the bus is a real embedded Artemis,
 * so the worker credentials and topology are real.
 */
class PulumiProvisionerWithScriptedEngineTest {
  private static final String BUS_USER = "conductor";
  private static final String BUS_PASSWORD = "bus-secret-for-tests";
  private static final DockerTarget DOCKER =
      new DockerTarget("conductor", "postgres:17", "ghcr.io/acme/app:1", "localhost");

  private static EmbeddedArtemis artemis;
  private static PasswordCheckingPostgres postgres;
  private static MessageBus bus;

  @TempDir Path workspaces;
  private final ScriptedEngine engine = new ScriptedEngine();
  private final RecordingProgress progress = new RecordingProgress();

  @BeforeAll
  static void startBus(@TempDir Path directory) throws Exception {
    artemis =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(
                directory.resolve("artemis"), "127.0.0.1", 0, false, BUS_USER, BUS_PASSWORD));
    bus = ArtemisMessageBus.connect(artemis.url(), BUS_USER, BUS_PASSWORD);
    postgres = PasswordCheckingPostgres.start(directory.resolve("postgres"));
  }

  @AfterAll
  static void stopBus() throws Exception {
    if (bus != null) {
      bus.close();
    }
    if (artemis != null) {
      artemis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void eachTenantIsOneStackInItsOwnWorkspaceAndItsOutputsAreItsResources() {
    PulumiProvisioner provisioner = provisioner();

    ProvisionedResources acme = provisioner.provision(spec("acme"), progress);
    provisioner.provision(spec("globex"), progress);

    assertThat(engine.calls)
        .containsExactly(
            "inspect tenant-acme",
            "refresh UPDATE_STATE tenant-acme",
            "up tenant-acme",
            "inspect tenant-globex",
            "refresh UPDATE_STATE tenant-globex",
            "up tenant-globex");
    StackRequest first = engine.requests.get(2);
    assertThat(first.workDir()).isEqualTo(workspaces.resolve("tenant-acme"));
    assertThat(engine.requests.get(5).workDir()).isEqualTo(workspaces.resolve("tenant-globex"));
    assertThat(first.config()).containsEntry("conductor:tenant", "acme");
    assertThat(first.secretConfig()).contains("conductor:databasePassword");
    assertThat(first.generatedConfig())
        .containsOnly(Map.entry("conductor:databasePassword", "databaseSecrets.password"));
    assertThat(acme.database().identifiers()).containsEntry("database", "tenant_acme");
    assertThat(acme.database().secrets()).containsKey("password");
    assertThat(acme.app().identifiers()).containsEntry("jobsEndpoint", "http://conductor/v1/jobs");
    // The docker program makes no queue: the conductor's bus made the topology and credentials.
    assertThat(acme.queue().identifiers())
        .containsEntry("jobTopic", "tenant.acme.jobs")
        .containsEntry("controlQueue", "tenant.acme.control")
        .containsEntry("workerUser", "tenant.acme.worker");
    assertThat(acme.queue().secrets()).containsKey("workerPassword");
    assertThat(bus.topicExists("tenant.acme.jobs")).isTrue();
    assertThat(progress.mentions("Created docker:index/container:Container acme-postgres"))
        .isTrue();
  }

  @Test
  void anInterruptedUpdateIsRecoveredByARefreshThatClearsPendingOperations() {
    engine.pendingOperations = true;

    provisioner().provision(spec("acme"), progress);

    assertThat(engine.calls)
        .containsExactly(
            "inspect tenant-acme", "refresh CLEAR_PENDING tenant-acme", "up tenant-acme");
    assertThat(progress.mentions("has pending operations from an interrupted update")).isTrue();
  }

  @Test
  void offboardingDestroysTheStackAndRevokesTheWorkers() {
    PulumiProvisioner provisioner = provisioner();
    provisioner.provision(spec("acme"), progress);

    provisioner.deprovision(spec("acme"), progress);

    assertThat(engine.calls).endsWith("destroy tenant-acme");
    assertThat(bus.topicExists("tenant.acme.jobs")).isFalse();
    assertThat(progress.mentions("stack tenant-acme: destroyed and removed")).isTrue();
  }

  @Test
  void previewReadsTheRealResourcesFirstAndReportsThePlannedChanges() {
    PulumiProvisioner provisioner = provisioner();
    engine.previewScript =
        List.of(
            planned(OperationType.CREATE, "docker:index/container:Container", "acme-app", "image"));

    ResourceDiff preview = provisioner.preview(spec("acme"), progress);

    assertThat(preview.changes())
        .containsExactly("create docker:index/container:Container acme-app (image)");
    assertThat(engine.calls)
        .containsExactly(
            "inspect tenant-acme", "refresh UPDATE_STATE tenant-acme", "preview tenant-acme");
  }

  @Test
  void refreshReportsDriftWithoutWritingItIntoTheState() {
    PulumiProvisioner provisioner = provisioner();
    engine.refreshScript = List.of(deleted("docker:index/container:Container", "acme-app"));

    ResourceDiff drift = provisioner.refresh(spec("acme"), progress);

    assertThat(drift.changes())
        .containsExactly("docker:index/container:Container acme-app: deleted outside Pulumi");
    assertThat(progress.events())
        .contains("WARN drift: docker:index/container:Container acme-app: deleted outside Pulumi");
    assertThat(engine.calls).containsExactly("refresh REPORT_ONLY tenant-acme");
  }

  @Test
  void aGeneratedPasswordAzureWouldRefuseIsNeverUsed() {
    Iterator<String> generated =
        List.of("onlylowercaselettersandnothingelse", "Mixed-Case_and-d1gits-0123456789ab")
            .iterator();
    PulumiProvisioner provisioner = provisioner(null, generated::next);

    provisioner.provision(spec("acme"), progress);

    assertThat(engine.requests.get(2).config())
        .containsEntry("conductor:databasePassword", "Mixed-Case_and-d1gits-0123456789ab");
  }

  @Test
  void aPlanWithoutWorkerImageIsRefusedBeforeAnyStackOperation() {
    TenantSpec noImage =
        new TenantSpec(
            new TenantName("acme"),
            "dev",
            new AppRegistration("cred-1", "http://conductor/v1/jobs"),
            new WorkerTemplate(null, List.of(), Map.of(), 2));

    assertThatThrownBy(() -> provisioner().provision(noImage, progress))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("tenant acme cannot be provisioned by the pulumi docker target")
        .hasMessageContaining("worker image is required")
        .satisfies(e -> assertThat(((ProvisioningException) e).isRetryable()).isFalse());
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void aStackWithoutTheDatabaseOutputIsAClearError() {
    engine.outputs = Map.of();

    assertThatThrownBy(() -> provisioner().provision(spec("acme"), progress))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("stack tenant-acme has no 'database' output");
  }

  @Test
  void onASharedServerTheConductorMakesTheTenantRoleWithTheStacksPassword() throws Exception {
    // The azure program puts the database on the shared server; here PostgreSQL stands in for it.
    engine.onUp =
        tenant -> {
          try (Connection admin = postgres.admin();
              Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE tenant_" + tenant);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        };
    engine.onDestroy = tenant -> dropDatabase("tenant_" + tenant);
    PulumiProvisioner provisioner =
        provisioner(
            new LocalProvisionerSettings(
                postgres.jdbcUrl("postgres"),
                PasswordCheckingPostgres.SUPERUSER,
                PasswordCheckingPostgres.SUPERUSER_PASSWORD,
                "localhost",
                postgres.port(),
                Set.of("postgres")),
            new Passwords());

    ProvisionedResources resources = provisioner.provision(spec("shared"), progress);

    String password = resources.database().secrets().get("password");
    assertThat(password)
        .isEqualTo(engine.requests.get(2).config().get("conductor:databasePassword"));
    try (Connection tenant = postgres.connect("tenant_shared", "tenant_shared_owner", password);
        Statement statement = tenant.createStatement()) {
      statement.execute("CREATE TABLE jobs (id int)");
    }
    assertThat(progress.mentions("role tenant_shared_owner: password set")).isTrue();

    provisioner.deprovision(spec("shared"), progress);

    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement();
        ResultSet role =
            statement.executeQuery(
                "SELECT 1 FROM pg_roles WHERE rolname = 'tenant_shared_owner'")) {
      assertThat(role.next()).isFalse();
    }
  }

  private static void dropDatabase(String name) {
    try (Connection admin = postgres.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private PulumiProvisioner provisioner() {
    return provisioner(null, new Passwords());
  }

  private PulumiProvisioner provisioner(
      LocalProvisionerSettings sharedDatabaseServer, Supplier<String> passwords) {
    return new PulumiProvisioner(
        DOCKER,
        plan -> InfrastructurePlan.DEFAULTS,
        engine,
        new PulumiSettings(workspaces, 2, 3, Duration.ofMillis(10)),
        bus,
        sharedDatabaseServer,
        Clock.systemUTC(),
        passwords);
  }

  private static TenantSpec spec(String name) {
    return new TenantSpec(
        new TenantName(name),
        "dev",
        new AppRegistration("cred-" + name, "http://conductor/v1/jobs"),
        new WorkerTemplate("ghcr.io/acme/worker:1", List.of(), Map.of(), 2));
  }

  private static EngineEvent planned(OperationType op, String type, String name, String diff) {
    return pre(step(op, urn(type, name), type, null, null, List.of(diff)), true);
  }

  private static EngineEvent deleted(String type, String name) {
    String urn = urn(type, name);
    return outputs(step(OperationType.REFRESH, urn, type, state(urn), null, List.of()), false);
  }

  /** Answers as the Automation API would for a docker stack; records what it was asked. */
  private static final class ScriptedEngine implements StackEngine {
    final List<String> calls = new ArrayList<>();
    final List<StackRequest> requests = new ArrayList<>();
    boolean pendingOperations;
    List<EngineEvent> previewScript = List.of();
    List<EngineEvent> refreshScript = List.of();
    Map<String, Object> outputs = null;
    Consumer<String> onUp = tenant -> {};
    Consumer<String> onDestroy = tenant -> {};

    @Override
    public Map<String, Object> up(StackRequest stack, Consumer<EngineEvent> events) {
      record("up", stack);
      String tenant = stack.config().get("conductor:tenant");
      onUp.accept(tenant);
      String type = "docker:index/container:Container";
      StepEventMetadata step =
          step(OperationType.CREATE, urn(type, tenant + "-postgres"), type, null, null, List.of());
      events.accept(pre(step, false));
      events.accept(outputs(step, false));
      if (outputs != null) {
        return outputs;
      }
      return Map.of(
          "database",
              Map.of(
                  "host",
                  "localhost",
                  "port",
                  "54321",
                  "database",
                  "tenant_" + tenant,
                  "role",
                  "tenant_" + tenant + "_owner"),
          "databaseSecrets", Map.of("password", stack.config().get("conductor:databasePassword")),
          "app",
              Map.of("credentialId", "cred-" + tenant, "jobsEndpoint", "http://conductor/v1/jobs"),
          "appSecrets", Map.of(),
          "container",
              Map.of(
                  "image",
                  "ghcr.io/acme/worker:1",
                  "command",
                  "",
                  "capacity",
                  "2",
                  "environment",
                  ""),
          "containerSecrets", Map.of());
    }

    @Override
    public void preview(StackRequest stack, Consumer<EngineEvent> events) {
      record("preview", stack);
      previewScript.forEach(events);
    }

    @Override
    public void refresh(StackRequest stack, Refresh mode, Consumer<EngineEvent> events) {
      record("refresh " + mode, stack);
      refreshScript.forEach(events);
    }

    @Override
    public boolean hasPendingOperations(StackRequest stack) {
      record("inspect", stack);
      return pendingOperations;
    }

    @Override
    public void destroy(StackRequest stack, Consumer<EngineEvent> events) {
      record("destroy", stack);
      // Deprovision sends no configuration: the stack's name (tenant-<slug>) names the tenant.
      onDestroy.accept(stack.stack().substring("tenant-".length()));
    }

    @Override
    public void cancel(StackRequest stack) {
      record("cancel", stack);
    }

    private synchronized void record(String call, StackRequest stack) {
      calls.add(call + " " + stack.stack());
      requests.add(stack);
    }
  }
}
