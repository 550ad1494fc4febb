package dev.conductor.runtime.aca;

import static dev.conductor.testing.Problems.assertProblem;
import static dev.conductor.testing.RunningConductor.LONG_JOB;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pulumi.test.Mocks;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.ProgramRun;
import dev.conductor.provisioning.pulumi.TenantStackConfigs;
import dev.conductor.provisioning.pulumi.azure.AzureTenantStack;
import dev.conductor.provisioning.pulumi.azure.AzureWorkerJob;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jobs end to end on the embedded default with {@code conductor.runtime.kind=aca}, against the
 * {@link ArmStandIn} standing in for Azure Resource Manager: the tenant's job is the one the azure
 * program declares, and the stand-in runs each execution's container as a local worker process with
 * the environment Container Apps would give it (the bus key resolved from the job's secret).
 * Checked against the stand-in: jobs run on executions, idle teardown ends them, an execution that
 * fails makes its worker LOST with the status and its job runs elsewhere, nothing runs at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcaRuntimeAgainstArmStandInIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String JOB = "azure-native:app:Job";
  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  private Path temp;
  private ArmStandIn arm;
  private RunningConductor conductor;

  @BeforeAll
  void start() throws Exception {
    temp = Files.createTempDirectory("aca-it");
    Path keyStore = ArmStandIn.keyStore(temp);
    arm = new ArmStandIn(keyStore);
    for (String tenant : List.of("skyward", "crashy", "logged")) {
      arm.declare(programJob(tenant));
    }
    // Tenant placed: its default job and its job in us; none in eu.
    ProgramRun placed =
        ProgramRun.run(
            TenantStackConfigs.azureInRegions("placed", TenantStackConfigs.SHARED_STANDARD),
            AzureTenantStack::stack,
            AcaRuntimeAgainstArmStandInIT::identitiesAsAzureHasThem);
    arm.declare(placed.resource(JOB, "worker").inputs);
    arm.declare(placed.resource(JOB, "worker-us").inputs);
    arm.runContainersAs(this::workerProcess);
    // What Container Apps ships to the environment's workspace: the worker process's real output.
    arm.consoleLogsOf(execution -> output(execution));
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.runtime.kind", "aca");
    properties.put("conductor.runtime.aca.subscription", ArmStandIn.SUBSCRIPTION);
    properties.put("conductor.runtime.aca.resource-group", ArmStandIn.RESOURCE_GROUP);
    properties.put("conductor.runtime.aca.endpoint", arm.endpoint());
    properties.put("conductor.runtime.aca.poll-interval", "200ms");
    properties.put("conductor.runtime.aca.log-analytics-endpoint", arm.endpoint());
    properties.put(ArmStandInClients.KEY_STORE, keyStore.toString());
    // The setting the azure program makes located jobs from is the one the runtime serves.
    TenantStackConfigs.AZURE_REGIONS
        .workerLocations()
        .forEach(
            (name, where) -> {
              String prefix = "conductor.provisioning.pulumi.azure.worker-locations." + name;
              properties.put(prefix + ".region", where.region());
              properties.put(
                  prefix + ".container-apps-environment-id", where.containerAppsEnvironmentId());
            });
    conductor = RunningConductor.start(properties);
  }

  @AfterAll
  void stopAndFindNoExecutionRunning() {
    try {
      if (conductor != null) {
        conductor.close();
        Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(arm.running()).isEmpty());
      }
      assertThat(arm.violations()).isEmpty();
    } finally {
      arm.close();
    }
  }

  @Test
  void jobsRunOnExecutionsOfTheTenantsJobAndIdleOnesEnd() {
    String key = conductor.onboard("skyward", "dev");
    String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":7}}");

    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);

    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").get("n").asInt()).isEqualTo(7);
    String workerId = done.get("workerId").asText();
    ArmStandIn.Execution execution =
        arm.executions("skyward-worker").stream()
            .filter(
                e ->
                    workerId.equals(
                        e.values(AzureWorkerJob.CONTAINER).get(AzureWorkerJob.WORKER_ID_VARIABLE)))
            .findFirst()
            .orElseThrow();
    assertThat(execution.values(AzureWorkerJob.CONTAINER))
        .containsEntry("CONDUCTOR_BUS_USER", "tenant.skyward.worker")
        .doesNotContainKey(AzureWorkerJob.BUS_PASSWORD_VARIABLE);
    // Idle timeout 3 s: the worker is torn down by its teardown message, its execution ends.
    await(
        () -> Json.parse(conductor.get("/v1/workers?tenant=skyward").body()).size(),
        live -> live == 0,
        LIMIT);
    JsonNode worker = conductor.workerRow("skyward", workerId);
    assertThat(worker.get("state").asText()).isEqualTo("STOPPED");
    Awaitility.await().atMost(LIMIT).until(() -> !execution.running());
  }

  @Test
  void aFailedExecutionMakesItsWorkerLostWithTheStatusAndItsJobRunsElsewhere() {
    String key = conductor.onboard("crashy", "dev");
    String id = conductor.submitJob(key, LONG_JOB);
    JsonNode running =
        await(() -> conductor.job(key, id), j -> "RUNNING".equals(j.get("status").asText()), LIMIT);
    String firstWorker = running.get("workerId").asText();

    arm.executions("crashy-worker").stream()
        .filter(e -> e.running() && e.process != null)
        .forEach(e -> e.process.destroyForcibly());

    JsonNode again =
        await(
            () -> conductor.job(key, id),
            j -> j.get("attempts").asInt() == 2 && "RUNNING".equals(j.get("status").asText()),
            LIMIT);
    assertThat(again.get("workerId").asText()).isNotEqualTo(firstWorker);
    JsonNode lost = conductor.workerRow("crashy", firstWorker);
    assertThat(lost.get("state").asText()).isEqualTo("LOST");
    assertThat(lost.get("stopReason").asText())
        .contains("Container Apps execution")
        .contains("Failed");
    conductor.offboard("crashy");
    Awaitility.await()
        .atMost(LIMIT)
        .untilAsserted(
            () ->
                assertThat(arm.executions("crashy-worker"))
                    .noneMatch(ArmStandIn.Execution::running));
  }

  @Test
  void aWorkersLogComesFromLogAnalyticsWhileItRunsAndAfterItEnded() {
    String key = conductor.onboard("logged", "dev");
    String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    String worker = conductor.awaitJobEnded(key, id, LIMIT).get("workerId").asText();

    // The worker logs "ready" just after it subscribes: its job may have run a moment before.
    await(() -> logs(worker, ""), log -> log.body().contains("ready workerId=" + worker), LIMIT);
    await(
        () -> conductor.workerRow("logged", worker).get("state").asText(),
        state -> state.equals("STOPPED"),
        LIMIT);
    String ended =
        await(
                () -> logs(worker, ""),
                log -> log.body().contains("stopped workerId=" + worker),
                LIMIT)
            .body();
    String last = logs(worker, "?tail=1").body();
    arm.failNext("query", 403, 1);
    JsonNode refused = assertProblem(logs(worker, ""), 503);

    assertThat(ended).contains("ready workerId=" + worker);
    assertThat(ended).endsWith(last);
    assertThat(last.lines().count()).isOne();
    assertThat(refused.get("detail").asText())
        .isEqualTo(
            "the Log Analytics workspace "
                + ArmStandIn.WORKSPACE
                + " at "
                + arm.endpoint().replaceAll("/$", "")
                + " answered HTTP 403 InsufficientAccessError");
  }

  @Test
  void aLocatedJobRunsOnAnExecutionOfItsLocationsJobAndAnUnservedLocationIsRefused() {
    String key = conductor.onboard("placed", "dev");

    JsonNode refused =
        assertProblem(conductor.postJob(key, "{\"type\":\"echo\",\"location\":\"mars\"}"), 422);
    String id =
        conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":3},\"location\":\"us\"}");
    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);

    assertThat(refused.get("detail").asText())
        .isEqualTo("location 'mars' is not served here: runtime 'aca' serves: eu, us");
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("location").asText()).isEqualTo("us");
    String workerId = done.get("workerId").asText();
    String usJob = AzureWorkerJob.name(new TenantName("placed"), "us");
    assertThat(arm.executions(usJob))
        .anyMatch(
            e ->
                workerId.equals(
                    e.values(AzureWorkerJob.CONTAINER).get(AzureWorkerJob.WORKER_ID_VARIABLE)));
    assertThat(arm.executions("placed-worker")).isEmpty();
    JsonNode worker = conductor.workerRow("placed", workerId);
    assertThat(worker.get("location").asText()).isEqualTo("us");
    // Where its traffic leaves from: the us environment's outbound addresses, as ARM lists them.
    assertThat(worker.get("egressAddress").asText())
        .isEqualTo(String.join(",", ArmStandIn.outboundOf(TenantStackConfigs.EASTUS_ENVIRONMENT)));
  }

  /** The worker job the azure program declares for {@code tenant}. */
  private static Map<String, Object> programJob(String tenant) {
    ProgramRun run =
        ProgramRun.run(
            TenantStackConfigs.azure(tenant, TenantStackConfigs.SHARED_STANDARD),
            AzureTenantStack::stack,
            AcaRuntimeAgainstArmStandInIT::identitiesAsAzureHasThem);
    Mocks.ResourceArgs job = run.resource(JOB);
    return job.inputs;
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

  private HttpResponse<String> logs(String worker, String query) {
    return conductor.send(
        conductor
            .admin("/v1/workers/" + worker + "/logs" + query)
            .header("Accept", "text/plain")
            .GET());
  }

  /** What the worker process of the execution wrote, line by line (nothing before it started). */
  private List<String> output(ArmStandIn.Execution execution) {
    Path log =
        temp.resolve(
            "worker-"
                + execution.values(AzureWorkerJob.CONTAINER).get(AzureWorkerJob.WORKER_ID_VARIABLE)
                + ".log");
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in worker from this class path, with only the execution's environment. */
  private Process workerProcess(Map<String, String> environment) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(JAVA, "-Xmx128m", "dev.conductor.worker.WorkerMain")
              .redirectErrorStream(true)
              .redirectOutput(
                  temp.resolve(
                          "worker-" + environment.get(AzureWorkerJob.WORKER_ID_VARIABLE) + ".log")
                      .toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
