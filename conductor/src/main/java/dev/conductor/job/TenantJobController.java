package dev.conductor.job;

import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Every tenant's jobs for the operator (operator token, like the rest of {@code /v1/tenants}): read
 * without the tenant's key, and a FAILED one re-run. A deleted tenant's jobs stay readable.
 */
@Controller("/v1/tenants/{name}/jobs")
@Tag(name = "tenant jobs")
@OperatorApi
public class TenantJobController {
  private final TenantService tenants;
  private final JobService service;
  private final JobViews views;

  TenantJobController(TenantService tenants, JobService service, JobViews views) {
    this.tenants = tenants;
    this.service = service;
    this.views = views;
  }

  /**
   * The tenant's jobs, newest first, a page at a time; filters combine: status, type, affinity key,
   * and creation time bounded by {@code since} and {@code until} (an instant or an age).
   */
  @Get
  @Answers.NotFound
  @Answers.Unprocessable
  @Operation(operationId = "listTenantJobs")
  public JobPage list(
      String name,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String type,
      @Nullable @QueryValue String affinityKey,
      @Nullable @QueryValue String since,
      @Nullable @QueryValue String until,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    Tenant tenant = tenants.get(name);
    return views.page(tenant, views.filter(status, type, affinityKey, since, until), limit, cursor);
  }

  @Get("/{id}")
  @Answers.NotFound
  @Operation(operationId = "getTenantJob")
  public JobView show(String name, String id) {
    return views.view(service.get(tenants.get(name), id));
  }

  /** 202 with the new job; 409 unless the job FAILED, or the tenant no longer takes jobs. */
  @Post("/{id}/rerun")
  @Status(HttpStatus.ACCEPTED)
  @Answers.NotFound
  @Answers.Conflict
  @Answers.Unprocessable
  public SubmittedJob rerun(String name, String id) {
    Job job = service.rerun(tenants.get(name), id);
    return new SubmittedJob(job.id().toString(), job.status().name());
  }
}
