package dev.conductor.runtime.aca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.pulumi.test.Mocks;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.ProgramRun;
import dev.conductor.provisioning.pulumi.TenantStackConfigs;
import dev.conductor.provisioning.pulumi.azure.AzureTenantStack;
import dev.conductor.provisioning.pulumi.azure.AzureWorkerJob;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerLimits;
import dev.conductor.runtime.WorkerLogUnavailableException;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimeContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aca runtime against the contract, with a local HTTPS server standing in for Azure Resource
 * Manager ({@link ArmStandIn}) that serves the tenant's worker job exactly as the azure program
 * declares it (the program run on Pulumi's mocks). Stand-in "containers" are executions whose
 * override says how long they run. No real Azure here: {@code AcaWorkerRuntimeIT} runs on a real
 * subscription where credentials are given.
 */
class AcaWorkerRuntimeAgainstArmStandInTest extends WorkerRuntimeContract {
  private static final String TENANT = "acme";
  private static final String JOB = "acme-worker";
  private static final TokenCredential FIXED_TOKEN = ArmStandIn::token;

  @TempDir static Path certificates;
  private static Path keyStore;
  private static Map<String, Object> programJob;

  private ArmStandIn arm;
  private AcaWorkerRuntime runtime;
  private final List<AcaWorkerRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void certificateAndProgram() throws Exception {
    keyStore = ArmStandIn.keyStore(certificates);
    ProgramRun run =
        ProgramRun.run(
            TenantStackConfigs.azure(TENANT, TenantStackConfigs.SHARED_STANDARD),
            AzureTenantStack::stack,
            AcaWorkerRuntimeAgainstArmStandInTest::identitiesAsAzureHasThem);
    Mocks.ResourceArgs job = run.resource("azure-native:app:Job");
    programJob = job.inputs;
  }

  /** Azure answers a user-assigned identity list with a map from id to principal. */
  private static Mocks.ResourceArgs identitiesAsAzureHasThem(Mocks.ResourceArgs args) {
    if (!(args.inputs.get("identity") instanceof Map<?, ?> identity)) {
      return args;
    }
    Map<String, Object> state = new HashMap<>(args.inputs);
    Map<String, Object> computed = new HashMap<>();
    identity.forEach((key, value) -> computed.put((String) key, value));
    computed.put(
        "userAssignedIdentities", Map.of(TenantStackConfigs.AZURE.registryIdentityId(), Map.of()));
    state.put("identity", computed);
    return new Mocks.ResourceArgs(args.type, args.name, state, args.provider, args.id);
  }

  @BeforeEach
  void standIn() throws Exception {
    arm = new ArmStandIn(keyStore);
    arm.declare(programJob);
    runtime = runtimeOf("conductor-a");
  }

  @AfterEach
  void noExecutionIsLeftAndArmSawNothingItWouldRefuse() {
    // The backstop a closing conductor runs, then the stand-in's word that nothing still runs.
    runtimes.forEach(AcaWorkerRuntime::close);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(arm.running()).isEmpty());
    assertThat(arm.violations()).isEmpty();
    arm.close();
  }

  @Test
  void aWorkerIsAnExecutionOfItsTenantsJobWithItsSettingsAndTheJobsOwnTemplate() {
    UUID id = UUID.randomUUID();
    String ref =
        runtime.start(
            new WorkerLaunch(
                id,
                TENANT,
                null,
                List.of(),
                Map.of("CONDUCTOR_TENANT", TENANT, "CONDUCTOR_AFFINITY_KEY", "proxy-eu"),
                "proxy-eu",
                3));

    ArmStandIn.Execution execution = arm.executions(JOB).get(0);
    assertThat(ref).isEqualTo(JOB + "/" + execution.name);
    assertThat(arm.requests("operation-result")).as("the start's 202 Location followed").isOne();
    Map<String, Object> container = container(execution.template);
    Map<String, Object> declared = container(programTemplate());
    assertThat(container.get("name")).isEqualTo(AzureWorkerJob.CONTAINER);
    assertThat(container.get("image")).isEqualTo(declared.get("image"));
    assertThat(container.get("resources")).isEqualTo(declared.get("resources"));
    assertThat(execution.values(AzureWorkerJob.CONTAINER))
        .containsEntry(AzureWorkerJob.WORKER_ID_VARIABLE, id.toString())
        .containsEntry(AzureWorkerJob.OWNER_VARIABLE, "conductor-a")
        .containsEntry("CONDUCTOR_AFFINITY_KEY", "proxy-eu");
    // The job's own environment (its secrets, by reference) comes along.
    assertThat(env(container)).containsAll(env(declared));
  }

  @Test
  void theOverrideNamesOnlyTheContainerAndSecretsTheProgramDeclares() {
    runtime.start(launchWithPassword(UUID.randomUUID(), "bus-key-" + UUID.randomUUID()));

    Map<String, Object> container = container(arm.executions(JOB).get(0).template);
    List<String> declaredContainers =
        programContainers().stream().map(c -> (String) c.get("name")).toList();
    List<String> declaredSecrets =
        secretsOf(programJob).stream().map(s -> (String) s.get("name")).toList();
    assertThat(declaredContainers).contains((String) container.get("name"));
    assertThat(env(container).stream().filter(e -> e.containsKey("secretRef")))
        .allSatisfy(e -> assertThat(declaredSecrets).contains((String) e.get("secretRef")));
  }

  @Test
  void theBusKeyIsAJobSecretTheOverrideReferencesNeverAPlainValue() {
    String password = "bus-key-" + UUID.randomUUID();

    runtime.start(launchWithPassword(UUID.randomUUID(), password));
    runtime.start(launchWithPassword(UUID.randomUUID(), password));

    assertThat(arm.secret(JOB, AzureWorkerJob.BUS_PASSWORD_SECRET)).isEqualTo(password);
    // The other secrets keep their values: the job's update sent the whole list back.
    assertThat(arm.secret(JOB, "worker-env-1")).isEqualTo(TenantStackConfigs.WORKER_TOKEN);
    assertThat(arm.requests("update")).as("the key is written once").isEqualTo(1);
    for (ArmStandIn.Execution execution : arm.executions(JOB)) {
      assertThat(execution.values(AzureWorkerJob.CONTAINER)).doesNotContainValue(password);
      assertThat(env(container(execution.template)))
          .contains(
              Map.of(
                  "name",
                  AzureWorkerJob.BUS_PASSWORD_VARIABLE,
                  "secretRef",
                  AzureWorkerJob.BUS_PASSWORD_SECRET));
    }
  }

  @Test
  void aLocatedWorkerIsAnExecutionOfItsLocationsJobAndListedAndStoppedWithTheRest() {
    declareLocatedJobs("us", "eu");
    AcaWorkerRuntime located = runtimeOf("conductor-a", List.of("us", "eu"));
    UUID inUs = UUID.randomUUID();
    UUID unlocated = UUID.randomUUID();

    String usRef = located.start(standIn(inUs, Duration.ofMinutes(10), false, "us"));
    String defaultRef = located.start(standIn(unlocated, Duration.ofMinutes(10), false, ""));

    assertThat(located.locations()).containsExactlyInAnyOrder("us", "eu");
    assertThat(usRef).startsWith(jobIn("us") + "/");
    assertThat(arm.executions(jobIn("us")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.values(AzureWorkerJob.CONTAINER))
                    .containsEntry(AzureWorkerJob.WORKER_ID_VARIABLE, inUs.toString()));
    assertThat(arm.executions(jobIn("eu"))).isEmpty();
    assertThat(defaultRef).startsWith(JOB + "/");
    assertThat(located.list()).containsEntry(inUs, usRef).containsEntry(unlocated, defaultRef);
    assertThat(located.egressAddress(standIn(inUs, Duration.ZERO, false, "us")))
        .contains(String.join(",", ArmStandIn.outboundOf(TenantStackConfigs.EASTUS_ENVIRONMENT)));
    assertThat(located.egressAddress(standIn(unlocated, Duration.ZERO, false, "")))
        .contains(
            String.join(
                ",", ArmStandIn.outboundOf(TenantStackConfigs.AZURE.containerAppsEnvironmentId())));

    located.stop(usRef, Duration.ofSeconds(1));

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !arm.executions(jobIn("us")).get(0).running());
    assertThat(located.list()).doesNotContainKey(inUs).containsKey(unlocated);
  }

  @Test
  void aLocationTheTenantHasNoJobInFailsTheStartWithTheReason() {
    declareLocatedJobs("us");
    AcaWorkerRuntime located = runtimeOf("conductor-a", List.of("us", "eu"));

    assertThatThrownBy(
            () -> located.start(standIn(UUID.randomUUID(), Duration.ofMinutes(1), false, "eu")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the Container Apps job " + jobIn("eu") + " of tenant acme")
        .hasMessageContaining("in location eu")
        .hasMessageContaining("provision the tenant with the azure target");
    assertThatThrownBy(
            () -> located.start(standIn(UUID.randomUUID(), Duration.ofMinutes(1), false, "mars")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("serves no location 'mars'")
        .hasMessageContaining("it serves: eu, us");
    assertThat(arm.running()).isEmpty();
  }

  @Test
  void aWorkersLogIsItsExecutionsConsoleInLogAnalyticsAlsoAfterItEnded() {
    arm.consoleLogsOf(e -> List.of("started " + e.name, "it's a \\ line", "ready"));
    String ref = runtime.start(standIn(UUID.randomUUID(), Duration.ofMinutes(10), false));
    String execution = ref.substring(JOB.length() + 1);

    String whole = runtime.runningLog(ref, null).orElseThrow();
    String last = runtime.runningLog(ref, 2).orElseThrow();
    runtime.stop(ref, Duration.ofSeconds(1));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !arm.executions(JOB).get(0).running());

    assertThat(whole).isEqualTo("started " + execution + "\nit's a \\ line\nready\n");
    assertThat(last).isEqualTo("it's a \\ line\nready\n");
    assertThat(runtime.logOutlivesWorker()).isTrue();
    assertThat(runtime.runningLog(ref, 1)).contains("ready\n");
    assertThat(arm.requests("get-environment")).as("the workspace is looked up once").isOne();
  }

  @Test
  void aWorkspaceThatRefusesOrCannotBeReachedIsAOneLineReasonWithoutSecrets() {
    String ref = runtime.start(standIn(UUID.randomUUID(), Duration.ofMinutes(10), false));
    arm.failNext("query", 403, 1);
    AcaWorkerRuntime unreachable = runtimeOf("conductor-a", List.of(), "https://localhost:1/");

    assertThatThrownBy(() -> runtime.runningLog(ref, null))
        .isInstanceOf(WorkerLogUnavailableException.class)
        .hasMessage(
            "the Log Analytics workspace "
                + ArmStandIn.WORKSPACE
                + " at "
                + arm.endpoint().replaceAll("/$", "")
                + " answered HTTP 403 InsufficientAccessError");
    assertThatThrownBy(() -> unreachable.runningLog(ref, null))
        .isInstanceOf(WorkerLogUnavailableException.class)
        .hasMessageStartingWith(
            "the Log Analytics workspace "
                + ArmStandIn.WORKSPACE
                + " at https://localhost:1 cannot be reached: ")
        .hasMessageNotContaining(ArmStandIn.LOGS_TOKEN)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void kqlLiteralsEscapeQuotesAndBackslashes() {
    assertThat(AcaWorkerLogs.literal("a'b\\c")).isEqualTo("'a\\'b\\\\c'");
    assertThat(AcaWorkerLogs.kql("acme-worker", "acme-worker-1x", 5))
        .isEqualTo(
            "ContainerAppConsoleLogs_CL | where ContainerJobName_s == 'acme-worker' and"
                + " ContainerGroupName_s startswith 'acme-worker-1x' | top 5 by TimeGenerated"
                + " desc | order by TimeGenerated asc | project TimeGenerated, Log_s");
  }

  @Test
  void throttlingAndTransientErrorsAreRetried() {
    arm.failNext("start", 429, 2);
    arm.failNext("list-executions", 503, 2);
    UUID id = UUID.randomUUID();

    String ref = runtime.start(standIn(id, Duration.ofMinutes(10), false));
    Map<UUID, String> listed = runtime.list();

    assertThat(listed).containsEntry(id, ref);
    assertThat(arm.requests("start")).isEqualTo(3);
    assertThat(arm.requests("list-executions")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aFailedExecutionEndsItsWorkerWithTheStatusAsReason() throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("STAND_IN_LIFETIME_MS", "200");
    environment.put("STAND_IN_ENDS", "Failed");
    String ref =
        runtime.start(new WorkerLaunch(UUID.randomUUID(), TENANT, null, List.of(), environment));

    Object exit = runtime.onExit(ref).get(30, TimeUnit.SECONDS);

    assertThat(exit).isInstanceOf(WorkerExit.class);
    assertThat(exit.toString())
        .isEqualTo("Container Apps execution " + ref.substring(JOB.length() + 1) + " Failed");
  }

  @Test
  void aTenantWithoutItsJobFailsTheStartWithTheReason() {
    assertThatThrownBy(
            () ->
                runtime.start(
                    new WorkerLaunch(UUID.randomUUID(), "globex", null, List.of(), Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the Container Apps job globex-worker of tenant globex")
        .hasMessageContaining("provision the tenant with the azure target");
  }

  @Test
  void armRefusingTheStartFailsItWithArmsReasonAndNoSecret() {
    String password = "bus-key-" + UUID.randomUUID();
    arm.failNext("start", 400, 1);

    assertThatThrownBy(() -> runtime.start(launchWithPassword(UUID.randomUUID(), password)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start an execution")
        .hasMessageNotContaining(password);
  }

  @Override
  protected WorkerRuntime runtime() {
    return runtime;
  }

  @Override
  protected WorkerRuntime restarted() {
    return runtimeOf("conductor-a");
  }

  @Override
  protected WorkerRuntime otherConductor() {
    return runtimeOf("conductor-b");
  }

  @Override
  protected WorkerLaunch launch(
      WorkerRuntime runtime, UUID workerId, Duration lifetime, boolean ignoresStop) {
    return standIn(workerId, lifetime, ignoresStop);
  }

  @Override
  protected void awaitUp(WorkerRuntime runtime, UUID workerId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                arm.executions(JOB).stream()
                    .anyMatch(
                        e ->
                            e.running()
                                && workerId
                                    .toString()
                                    .equals(
                                        e.values(AzureWorkerJob.CONTAINER)
                                            .get(AzureWorkerJob.WORKER_ID_VARIABLE))));
  }

  private static WorkerLaunch standIn(UUID workerId, Duration lifetime, boolean ignoresStop) {
    return standIn(workerId, lifetime, ignoresStop, "");
  }

  private static WorkerLaunch standIn(
      UUID workerId, Duration lifetime, boolean ignoresStop, String location) {
    Map<String, String> environment = new HashMap<>();
    environment.put("STAND_IN_LIFETIME_MS", Long.toString(lifetime.toMillis()));
    environment.put("STAND_IN_IGNORES_STOP", Boolean.toString(ignoresStop));
    return new WorkerLaunch(
        workerId, TENANT, null, List.of(), environment, "", 0, WorkerLimits.NONE, location);
  }

  /** The located jobs the azure program declares for the tenant on a target with regions. */
  private void declareLocatedJobs(String... locations) {
    ProgramRun run =
        ProgramRun.run(
            TenantStackConfigs.azureInRegions(TENANT, TenantStackConfigs.SHARED_STANDARD),
            AzureTenantStack::stack,
            AcaWorkerRuntimeAgainstArmStandInTest::identitiesAsAzureHasThem);
    for (String location : locations) {
      arm.declare(run.resource("azure-native:app:Job", "worker-" + location).inputs);
    }
  }

  private static String jobIn(String location) {
    return AzureWorkerJob.name(new TenantName(TENANT), location);
  }

  private static WorkerLaunch launchWithPassword(UUID workerId, String password) {
    return new WorkerLaunch(
        workerId,
        TENANT,
        null,
        List.of(),
        Map.of("CONDUCTOR_BUS_USER", "worker-acme", "CONDUCTOR_BUS_PASSWORD", password));
  }

  private AcaWorkerRuntime runtimeOf(String owner) {
    return runtimeOf(owner, List.of());
  }

  private AcaWorkerRuntime runtimeOf(String owner, List<String> locations) {
    return runtimeOf(owner, locations, arm.endpoint());
  }

  private AcaWorkerRuntime runtimeOf(
      String owner, List<String> locations, String logAnalyticsEndpoint) {
    AcaWorkerRuntime created =
        new AcaWorkerRuntime(
            owner,
            new AcaRuntimeSettings(
                ArmStandIn.SUBSCRIPTION,
                ArmStandIn.RESOURCE_GROUP,
                arm.endpoint(),
                null,
                Duration.ofMillis(100),
                4,
                Duration.ofMillis(10),
                logAnalyticsEndpoint),
            locations,
            FIXED_TOKEN,
            arm.httpClient(),
            Executors.newCachedThreadPool());
    runtimes.add(created);
    return created;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> programTemplate() {
    return (Map<String, Object>) programJob.get("template");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> programContainers() {
    return (List<Map<String, Object>>) programTemplate().get("containers");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> secretsOf(Map<String, Object> job) {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) job.get("configuration")).get("secrets");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> template) {
    return ((List<Map<String, Object>>) template.get("containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> env(Map<String, Object> container) {
    return (List<Map<String, Object>>) container.getOrDefault("env", List.of());
  }
}
