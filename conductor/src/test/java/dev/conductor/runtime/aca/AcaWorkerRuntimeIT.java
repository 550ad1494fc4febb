package dev.conductor.runtime.aca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.conductor.runtime.WorkerLaunch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The aca runtime on a real Azure subscription, opt-in: a tenant provisioned by the azure target
 * (its worker job {@code <slug>-worker} in {@code CONDUCTOR_IT_ACA_RESOURCE_GROUP}), credentials
 * that DefaultAzureCredential finds ({@code AZURE_CLIENT_ID}/{@code AZURE_CLIENT_SECRET}/{@code
 * AZURE_TENANT_ID}, a managed identity, {@code az login}). An execution runs a shell in the job's
 * image in place of the worker, so it needs no bus. Skipped at once without them.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AcaWorkerRuntimeIT {
  private static final String SUBSCRIPTION = System.getenv("AZURE_SUBSCRIPTION_ID");
  private static final String RESOURCE_GROUP = System.getenv("CONDUCTOR_IT_ACA_RESOURCE_GROUP");
  private static final String TENANT = System.getenv("CONDUCTOR_IT_ACA_TENANT");
  // Container Apps may take minutes to schedule a replica, or to report its end.
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  private final String owner = "conductor-it-" + UUID.randomUUID();
  private AcaWorkerRuntime runtime;

  @BeforeEach
  void connect() {
    Assumptions.assumeTrue(
        SUBSCRIPTION != null && RESOURCE_GROUP != null && TENANT != null,
        "needs AZURE_SUBSCRIPTION_ID, CONDUCTOR_IT_ACA_RESOURCE_GROUP, CONDUCTOR_IT_ACA_TENANT (a"
            + " tenant provisioned by the azure target) and Azure credentials: no Azure"
            + " subscription is reachable here");
    runtime = runtimeOf(owner);
  }

  private static AcaWorkerRuntime runtimeOf(String owner) {
    return new AcaWorkerRuntime(
        owner,
        new AcaRuntimeSettings(
            SUBSCRIPTION,
            RESOURCE_GROUP,
            ContainerAppsArm.PUBLIC_CLOUD,
            null,
            Duration.ofSeconds(5),
            6,
            Duration.ofSeconds(1),
            "https://api.loganalytics.io"),
        new DefaultAzureCredentialBuilder().build(),
        HttpClient.createDefault(),
        Executors.newCachedThreadPool());
  }

  @AfterEach
  void noExecutionOfThisRunIsLeft() {
    if (runtime != null) {
      runtime.close();
      // Azure's word, through a fresh client: nothing this run started still runs.
      AcaWorkerRuntime check = runtimeOf(owner);
      try {
        waiting().untilAsserted(() -> assertThat(check.list()).isEmpty());
      } finally {
        check.close();
      }
    }
  }

  @Test
  void anExecutionStartsIsListedStopsAndEnds() {
    UUID id = UUID.randomUUID();
    String ref =
        runtime.start(
            new WorkerLaunch(
                id, TENANT, null, List.of("sh", "-c", "echo sleeping; sleep 600"), Map.of()));

    waiting().untilAsserted(() -> assertThat(runtime.list()).containsEntry(id, ref));
    runtime.stop(ref, Duration.ofSeconds(30));

    waiting()
        .untilAsserted(
            () -> {
              assertThat(runtime.isRunning(ref)).isFalse();
              assertThat(runtime.list()).doesNotContainKey(id);
            });
    waiting().until(() -> runtime.onExit(ref).isDone());
  }

  @Test
  void aTenantWithoutAJobFailsTheStartWithTheReason() {
    assertThatThrownBy(
            () ->
                runtime.start(
                    new WorkerLaunch(
                        UUID.randomUUID(), "no-such-tenant", null, List.of(), Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("provision the tenant with the azure target");
  }

  private static org.awaitility.core.ConditionFactory waiting() {
    return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(5));
  }
}
