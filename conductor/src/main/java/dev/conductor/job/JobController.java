package dev.conductor.job;

import dev.conductor.api.ApiException;
import dev.conductor.api.ConstraintViolationHandler;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.MalformedRequestException;
import dev.conductor.api.PayloadTooLargeException;
import dev.conductor.api.RetryAfter;
import dev.conductor.api.v1.BatchJobResult;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedBatch;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.TenantKeyApi;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantKeyFilter;
import dev.conductor.tracing.TraceContext;
import dev.conductor.tracing.Tracing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The tenant app's job API, authenticated by the tenant's API key ({@link TenantKeyFilter}). */
@Controller(value = "/v1/jobs", consumes = MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@TenantKeyApi
public class JobController {
  private static final Duration MAX_WAIT = Duration.ofSeconds(60);
  // A tenant app that traces its own calls continues its trace into the job's.
  private static final String TRACEPARENT = "traceparent";

  private final JobService service;
  private final JobWaits waits;
  private final JobViews views;
  private final Validator validator;
  private final Tracing tracing;

  JobController(
      JobService service, JobWaits waits, JobViews views, Validator validator, Tracing tracing) {
    this.service = service;
    this.waits = waits;
    this.views = views;
    this.validator = validator;
    this.tracing = tracing;
  }

  @Post
  @Status(HttpStatus.ACCEPTED)
  @Answers.Conflict
  @Answers.JsonBody
  @Answers.Unprocessable
  public SubmittedJob submit(HttpRequest<?> request, @Valid @Body SubmitJobRequest body) {
    Tenant tenant = tenant(request);
    Span span = tracing.server("POST /v1/jobs", request.getHeaders().get(TRACEPARENT));
    span.setAttribute(Tracing.TENANT, tenant.name());
    try (Scope scope = TraceContext.activate(span)) {
      Job job = service.submit(tenant, submission(body));
      span.setAttribute(Tracing.JOB_ID, job.id().toString());
      return new SubmittedJob(job.id().toString(), job.status().name());
    } catch (RuntimeException e) {
      Tracing.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * Up to 1,000 jobs at once, each checked as {@link #submit} checks it, with its own result in
   * order: 200 whatever became of each; the whole batch is refused only for what concerns them all
   * (credentials, the tenant's state, the body's shape and size, the number of jobs).
   */
  @Post("/batch")
  @Status(HttpStatus.OK)
  @Answers.Conflict
  @Answers.JsonBody
  public SubmittedBatch submitBatch(HttpRequest<?> request, @Body SubmitBatchRequest body) {
    List<SubmitJobRequest> requested = body.jobs();
    if (requested == null || requested.isEmpty()) {
      throw new MalformedRequestException(
          "a batch holds 1 to " + SubmitBatchRequest.MAX_JOBS + " jobs in \"jobs\"; got none");
    }
    if (requested.size() > SubmitBatchRequest.MAX_JOBS) {
      throw new PayloadTooLargeException(
          "a batch holds at most "
              + SubmitBatchRequest.MAX_JOBS
              + " jobs; got "
              + requested.size()
              + ": send the rest in another batch");
    }
    List<JobService.Entry> entries = new ArrayList<>(requested.size());
    for (SubmitJobRequest job : requested) {
      entries.add(entry(job));
    }
    List<BatchJobResult> results = new ArrayList<>(entries.size());
    int accepted = 0;
    Tenant tenant = tenant(request);
    Span span = tracing.server("POST /v1/jobs/batch", request.getHeaders().get(TRACEPARENT));
    span.setAttribute(Tracing.TENANT, tenant.name());
    List<JobService.Outcome> outcomes;
    try (Scope scope = TraceContext.activate(span)) {
      outcomes = service.submitAll(tenant, entries);
    } catch (RuntimeException e) {
      Tracing.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
    for (JobService.Outcome outcome : outcomes) {
      if (outcome instanceof JobService.Accepted done) {
        accepted++;
        results.add(
            BatchJobResult.accepted(
                done.job().id().toString(), done.job().status().name(), done.replayed()));
      } else if (outcome instanceof JobService.Refused refused) {
        results.add(refusal(refused.reason()));
      }
    }
    return new SubmittedBatch(accepted, results.size() - accepted, results);
  }

  /** A job of a batch, or its refusal for breaking the constraints that @Valid checks alone. */
  private JobService.Entry entry(@Nullable SubmitJobRequest job) {
    if (job == null) {
      return new JobService.Refused(
          new InvalidRequestException("a job must be a JSON object, not null"));
    }
    Set<ConstraintViolation<SubmitJobRequest>> violations = validator.validate(job);
    if (!violations.isEmpty()) {
      return new JobService.Refused(
          new InvalidRequestException(ConstraintViolationHandler.detail(violations)));
    }
    return submission(job);
  }

  /** A request whose constraints were checked: @Valid, or the validator for a batch's jobs. */
  private static JobService.Submission submission(SubmitJobRequest checked) {
    return new JobService.Submission(
        // The constraints refuse a blank type before this runs.
        Objects.requireNonNull(checked.type(), "job type"),
        checked.payload(),
        checked.affinityKey(),
        checked.idempotencyKey(),
        checked.location());
  }

  private static BatchJobResult refusal(ApiException reason) {
    HttpStatus status = reason.status();
    Duration retryAfter = reason.retryAfter();
    return BatchJobResult.refused(
        new Problem("about:blank", status.getReason(), status.getCode(), reason.getMessage()),
        retryAfter == null ? null : RetryAfter.wholeSeconds(retryAfter));
  }

  /** With {@code wait} the answer comes when the job ends or the wait runs out; no thread waits. */
  @Get("/{id}")
  @Answers.NotFound
  @Operation(operationId = "getJob")
  public CompletableFuture<JobView> show(
      HttpRequest<?> request, String id, @Nullable @QueryValue String wait) {
    Tenant tenant = tenant(request);
    if (wait == null) {
      return CompletableFuture.completedFuture(views.view(service.get(tenant, id)));
    }
    return waits.await(tenant, id, parseWait(wait)).thenApply(views::view);
  }

  @Get
  @Answers.Unprocessable
  @Operation(operationId = "listJobs")
  public JobPage list(
      HttpRequest<?> request,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    return views.page(
        tenant(request), JobFilter.byStatus(JobViews.parseStatus(status)), limit, cursor);
  }

  @Delete("/{id}")
  @Answers.NotFound
  @Answers.Conflict
  @Operation(operationId = "cancelJob")
  public JobView cancel(HttpRequest<?> request, String id) {
    return views.view(service.cancel(tenant(request), id));
  }

  private static Tenant tenant(HttpRequest<?> request) {
    return request.getAttribute(TenantKeyFilter.TENANT, Tenant.class).orElseThrow();
  }

  /** Accepts 30s, 500ms, 2m or plain seconds; longer waits are cut to 60 s. */
  static Duration parseWait(String wait) {
    Duration duration;
    try {
      if (wait.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(wait.substring(0, wait.length() - 2)));
      } else if (wait.endsWith("s")) {
        duration = Duration.ofSeconds(Long.parseLong(wait.substring(0, wait.length() - 1)));
      } else if (wait.endsWith("m")) {
        duration = Duration.ofMinutes(Long.parseLong(wait.substring(0, wait.length() - 1)));
      } else {
        duration = Duration.ofSeconds(Long.parseLong(wait));
      }
    } catch (NumberFormatException e) {
      throw new MalformedRequestException(
          "wait must be a whole number of ms, s or m, like 30s, 500ms or 2m; got '" + wait + "'");
    } catch (ArithmeticException e) {
      throw new MalformedRequestException(
          "wait '" + wait + "' is out of range; a wait is at most 60s");
    }
    if (duration.isNegative()) {
      throw new MalformedRequestException("wait must not be negative; got '" + wait + "'");
    }
    return duration.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : duration;
  }
}
