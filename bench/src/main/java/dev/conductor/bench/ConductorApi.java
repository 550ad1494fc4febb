package dev.conductor.bench;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.TenantView;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The conductor's HTTP API as the benchmark uses it: the shared typed client, one per credential,
 * and the waits the scenarios have in common.
 */
final class ConductorApi {
  private static final String USER_AGENT = "conductor-bench";

  private final URI server;
  private final ConductorClient operator;

  ConductorApi(URI server, String adminToken) {
    this.server = server;
    this.operator = new ConductorClient(server, adminToken, USER_AGENT);
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
