package dev.conductor.operation;

import static dev.conductor.testing.Problems.assertProblem;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.ProvisionerGate;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cancelling operations on a real conductor that runs one operation at a time and whose
 * provisioning the test holds after its first step ({@link ProvisionerGate}), so that operations
 * are caught QUEUED or RUNNING however slow the machine. The cancel of a running operation goes
 * through the database and the lease renewal, as it would between replicas, and interrupts the held
 * provisioning; the gate is released only where the operation must then succeed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationCancelIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String ROLE = "role tenant_slow_one_owner";
  private RunningConductor conductor;
  private ProvisionerGate gate;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put(ProvisionerGate.PROPERTY, true);
    properties.put("conductor.operations.max-concurrent", 1);
    // Renewals, which carry cancel requests, every 2 s.
    properties.put("conductor.operations.lease", "6s");
    conductor = RunningConductor.start(properties);
    gate = ProvisionerGate.of(conductor);
    conductor.onboard("steady", "dev");
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void cancelledProvisioningFailsTheTenantAndRetryResumesIt() {
    gate.hold("slow-one");
    String running = operationOf(conductor.postJson("/v1/tenants", "{\"name\":\"slow-one\"}"));
    String queued = operationOf(conductor.postJson("/v1/tenants", "{\"name\":\"slow-two\"}"));
    String refresh = operationOf(conductor.postJson("/v1/tenants/steady/refresh", ""));
    // Held after its first step (the role), the run stays RUNNING until it is cancelled.
    await(
        () -> messagesOf(conductor.operation(running)),
        done -> done.contains(ROLE + ": created"),
        LIMIT);
    assertThat(status(conductor.operation(running))).isEqualTo("RUNNING");
    assertThat(status(conductor.operation(queued))).isEqualTo("QUEUED");

    assertProblem(conductor.patchJson("/v1/tenants/slow-one", "{\"plan\":\"dev\"}"), 409);

    HttpResponse<String> cancelQueued = cancel(queued);
    assertThat(cancelQueued.statusCode()).isEqualTo(200);
    assertThat(status(Json.parse(cancelQueued.body()))).isEqualTo("CANCELLED");
    assertThat(conductor.tenant("slow-two").get("status").asText()).isEqualTo("FAILED");
    assertThat(conductor.tenant("slow-two").get("error").asText())
        .contains("cancelled by operator");
    assertThat(cancel(refresh).statusCode()).isEqualTo(200);
    assertThat(conductor.tenant("steady").get("status").asText()).isEqualTo("READY");

    HttpResponse<String> cancelRunning = cancel(running);
    assertThat(cancelRunning.statusCode()).isEqualTo(202);
    assertThat(Json.parse(cancelRunning.body()).get("cancelRequested").asBoolean()).isTrue();
    JsonNode cancelled = awaitStatus(running, "CANCELLED");
    assertThat(cancelled.get("error").asText()).isEqualTo("provisioning cancelled by operator");
    assertThat(messagesOf(cancelled)).contains("provision cancelled by operator");
    JsonNode failed = conductor.tenant("slow-one");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").asText()).isEqualTo("provisioning cancelled by operator");
    assertProblem(cancel(running), 409);

    gate.release("slow-one");
    String retry = operationOf(conductor.postJson("/v1/tenants/slow-one/retry", ""));
    JsonNode resumed = conductor.awaitOperationEnded(retry, LIMIT);
    assertThat(status(resumed)).isEqualTo("SUCCEEDED");
    assertThat(messagesOf(resumed)).contains(ROLE + ": already exists");
    assertThat(conductor.tenant("slow-one").get("status").asText()).isEqualTo("READY");
    JsonNode inSync =
        conductor.awaitOperationEnded(
            operationOf(conductor.postJson("/v1/tenants/slow-one/refresh", "")), LIMIT);
    assertThat(messagesOf(inSync)).anyMatch(message -> message.startsWith("in sync"));
  }

  @Test
  void aQueuedUpdateCancelledLeavesTheTenantServingOnItsOldPlan() {
    conductor.onboard("stayer", "dev");
    gate.hold("slow-three");
    String blocker = operationOf(conductor.postJson("/v1/tenants", "{\"name\":\"slow-three\"}"));
    awaitStatus(blocker, "RUNNING");
    String update =
        operationOf(conductor.patchJson("/v1/tenants/stayer", "{\"plan\":\"standard\"}"));
    assertThat(status(conductor.operation(update))).isEqualTo("QUEUED");
    assertThat(conductor.tenant("stayer").get("status").asText()).isEqualTo("UPDATING");

    assertThat(cancel(update).statusCode()).isEqualTo(200);

    JsonNode stayer = conductor.tenant("stayer");
    assertThat(stayer.get("status").asText()).isEqualTo("READY");
    assertThat(stayer.get("plan").asText()).isEqualTo("dev");
    assertThat(stayer.has("error")).isFalse();
    gate.release("slow-three");
    assertThat(status(conductor.awaitOperationEnded(blocker, LIMIT))).isEqualTo("SUCCEEDED");
  }

  @Test
  void cancelledUpdateFailsTheTenantAndRetryRerunsItWithTheSamePlan() {
    String apiKey = conductor.onboard("mover", "dev");
    gate.hold("mover");
    String update =
        operationOf(conductor.patchJson("/v1/tenants/mover", "{\"plan\":\"standard\"}"));
    assertThat(conductor.tenant("mover").get("status").asText()).isEqualTo("UPDATING");
    // The tenant's apps keep working while it is updated.
    String jobId = conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":1}");
    awaitStatus(update, "RUNNING");

    assertThat(cancel(update).statusCode()).isEqualTo(202);

    JsonNode cancelled = awaitStatus(update, "CANCELLED");
    assertThat(cancelled.get("error").asText())
        .isEqualTo("update to plan standard cancelled by operator");
    JsonNode failed = conductor.tenant("mover");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("plan").asText()).isEqualTo("dev");

    gate.release("mover");
    HttpResponse<String> retried = conductor.postJson("/v1/tenants/mover/retry", "");
    assertThat(retried.statusCode()).isEqualTo(202);
    JsonNode started = Json.parse(retried.body());
    assertThat(started.get("status").asText()).isEqualTo("UPDATING");
    assertThat(started.get("targetPlan").asText()).isEqualTo("standard");
    JsonNode rerun = conductor.awaitOperationEnded(started.get("operationId").asText(), LIMIT);
    assertThat(rerun.get("kind").asText()).isEqualTo("UPDATE");
    assertThat(status(rerun)).isEqualTo("SUCCEEDED");
    JsonNode updated = conductor.tenant("mover");
    assertThat(updated.get("status").asText()).isEqualTo("READY");
    assertThat(updated.get("plan").asText()).isEqualTo("standard");

    JsonNode job = conductor.awaitJobEnded(apiKey, jobId, LIMIT);
    assertThat(status(job)).as(job.toString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void unknownOperationsCannotBeCancelled() {
    assertProblem(cancel("00000000-0000-0000-0000-000000000000"), 404);
    assertProblem(cancel("not-a-uuid"), 404);
  }

  private HttpResponse<String> cancel(String operationId) {
    return conductor.postJson("/v1/operations/" + operationId + "/cancel", "");
  }

  private static String operationOf(HttpResponse<String> accepted) {
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return Json.parse(accepted.body()).get("operationId").asText();
  }

  private JsonNode awaitStatus(String operationId, String wanted) {
    return await(() -> conductor.operation(operationId), op -> wanted.equals(status(op)), LIMIT);
  }

  private static String status(JsonNode operation) {
    return operation.path("status").asText();
  }

  private static List<String> messagesOf(JsonNode operation) {
    return operation.get("events").findValuesAsText("message");
  }
}
