package dev.conductor.cli;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * A tenant's app on the job API, straight over HTTP: sets up and checks what the CLI is tested on.
 */
record TenantApp(RunningConductor conductor, String apiKey) {

  private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  static TenantApp onboard(RunningConductor conductor, String name, String plan) {
    return new TenantApp(conductor, conductor.onboard(name, plan));
  }

  /** Submits the job request and returns the new job's id. */
  String submit(String json) {
    HttpResponse<String> response =
        conductor.send(
            conductor
                .tenant(apiKey, "/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.parse(response.body()).get("id").asText();
  }

  JsonNode job(String id) {
    HttpResponse<String> response =
        conductor.send(conductor.tenant(apiKey, "/v1/jobs/" + id).GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  JsonNode awaitEnded(String id) {
    return await(
        () -> job(id), job -> ENDED.contains(job.path("status").asText()), LiveConductor.LIMIT);
  }

  /** Waits until the job is RUNNING on a worker; fails at once if it ends first. */
  JsonNode awaitRunning(String id) {
    JsonNode job =
        await(
            () -> job(id),
            it ->
                it.path("status").asText().equals("RUNNING")
                    || ENDED.contains(it.path("status").asText()),
            LiveConductor.LIMIT);
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("RUNNING");
    return job;
  }

  /** The id of the tenant's QUEUED job with this affinity key, or null while there is none. */
  String queuedJob(String affinityKey) {
    HttpResponse<String> response =
        conductor.send(conductor.tenant(apiKey, "/v1/jobs?status=QUEUED&limit=500").GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return StreamSupport.stream(Json.parse(response.body()).path("items").spliterator(), false)
        .filter(job -> affinityKey.equals(job.path("affinityKey").asText()))
        .map(job -> job.get("id").asText())
        .findFirst()
        .orElse(null);
  }
}
