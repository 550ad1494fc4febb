package dev.conductor.bench;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.TenantView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The conductor's HTTP API as the benchmark uses it: the shared typed client, one per credential,
 * and the waits the scenarios have in common.
 */
final class ConductorApi {
  private static final String USER_AGENT = "conductor-bench";

  private final URI server;
  private final String adminToken;
  private final ConductorClient operator;

  ConductorApi(URI server, String adminToken) {
    this.server = server;
    this.adminToken = adminToken;
    this.operator = new ConductorClient(server, adminToken, USER_AGENT);
  }

  /** The routing executor's tasks (one per pass) so far, from {@code GET /metrics}. */
  record RoutingPasses(double count, double seconds) {
    /** The mean pass since {@code before}, in ms; NaN without passes. */
    double meanMillisSince(RoutingPasses before) {
      double passes = count - before.count;
      return passes <= 0 ? Double.NaN : (seconds - before.seconds) * 1000 / passes;
    }
  }

  RoutingPasses routingPasses() {
    HttpRequest request =
        HttpRequest.newBuilder(server.resolve("/metrics"))
            .header("Authorization", "Bearer " + adminToken)
            .build();
    try {
      String text =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
      return new RoutingPasses(
          routingSample(text, "executor_seconds_count{"),
          routingSample(text, "executor_seconds_sum{"));
    } catch (IOException e) {
      throw new IllegalStateException("GET /metrics failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The value of the routing executor's sample of a Prometheus family; NaN when absent. */
  private static double routingSample(String text, String prefix) {
    return text.lines()
        .filter(line -> line.startsWith(prefix) && line.contains("name=\"routing\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }

  ConductorClient operator() {
    return operator;
  }

  /** The job API as the tenant's app calls it, with its API key. */
  ConductorClient tenant(String apiKey) {
    return new ConductorClient(server, apiKey, USER_AGENT);
  }

  /** Onboards a tenant and returns its API key. */
  String createTenant(String name, String plan) {
    return operator.createTenant(new CreateTenantRequest(name, plan)).apiKey();
  }

  /** Onboards the tenants (name → plan) side by side and waits until all are READY; name → key. */
  Map<String, String> onboardAll(Map<String, String> plans, Duration timeout) {
    Map<String, String> keys = new LinkedHashMap<>();
    plans.forEach((tenant, plan) -> keys.put(tenant, createTenant(tenant, plan)));
    keys.keySet().forEach(tenant -> awaitTenantReady(tenant, timeout));
    return keys;
  }

  /**
   * Offboards a tenant and waits (bounded) until it is gone: what a scenario leaves queued stops
   * costing the scenarios after it. Returns whether it went within {@code timeout}.
   */
  boolean offboard(String name, Duration timeout) {
    operator.deleteTenant(name);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (operator.tenant(name).status().equals("DELETED")) {
          return true;
        }
      } catch (ApiException e) {
        if (e.status() == 404) {
          return true;
        }
        throw e;
      }
      sleep(Duration.ofMillis(200));
    }
    return false;
  }

  void awaitTenantReady(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      TenantView tenant = operator.tenant(name);
      if (tenant.status().equals("READY")) {
        return;
      }
      if (tenant.status().equals("FAILED")) {
        throw new IllegalStateException("tenant " + name + " failed: " + tenant.error());
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("tenant " + name + " not READY within " + timeout);
  }

  /** Submits one small {@code echo} job ({@code {"round":n,"n":0}}); returns its id. */
  static String submitEcho(ConductorClient app, int n) {
    return app.submitJob(BatchSubmit.echoJobs(n, 1).get(0)).id();
  }

  /** Long-polls until the job has ended. */
  static JobView awaitEnded(ConductorClient app, String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JobView job = app.job(id);
    while (!ended(job) && System.nanoTime() < deadline) {
      job = app.awaitJob(id, Duration.ofSeconds(10));
    }
    if (!ended(job)) {
      throw new IllegalStateException("job " + id + " did not end within " + timeout + ": " + job);
    }
    return job;
  }

  /** Every job of the tenant with this status (null: all), newest first, 500 per page. */
  static void forEachJob(ConductorClient app, String status, Consumer<JobView> action) {
    String cursor = null;
    do {
      JobPage page = app.jobs(status, 500, cursor);
      page.items().forEach(action);
      cursor = page.nextCursor();
    } while (cursor != null);
  }

  /**
   * Whether the job shows startedAt. A job can end without one: the worker's started and succeeded
   * reports are applied concurrently, and a started report applied after succeeded changes nothing.
   */
  static boolean started(JobView job) {
    return job.startedAt() != null;
  }

  static boolean ended(JobView job) {
    String status = job.status();
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
