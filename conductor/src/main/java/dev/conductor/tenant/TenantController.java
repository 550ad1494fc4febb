package dev.conductor.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.conductor.operation.Operation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The operator's tenant API. */
@Controller(value = "/v1/tenants", consumes = MediaType.APPLICATION_JSON)
public class TenantController {
  private final TenantService service;

  TenantController(TenantService service) {
    this.service = service;
  }

  @Serdeable
  public record CreateTenantRequest(@Nullable String name, @Nullable String plan) {}

  @Serdeable
  public record CreatedTenant(
      String name, String plan, TenantStatus status, String apiKey, UUID operationId) {}

  @Serdeable
  public record UpdateTenantRequest(@Nullable String plan) {}

  /** {@code targetPlan} only for an update: the plan the tenant moves to. */
  @Serdeable
  public record StartedOperation(
      String name, TenantStatus status, UUID operationId, @Nullable String targetPlan) {}

  @Serdeable
  public record RotatedKey(String name, String apiKey, String credentialId) {}

  @Serdeable
  public record TenantView(
      String name,
      String plan,
      TenantStatus status,
      Instant createdAt,
      Instant updatedAt,
      @Nullable String error,
      @Nullable UUID operationId,
      @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Map<String, String>> resources) {}

  @Post
  @Status(HttpStatus.ACCEPTED)
  public CreatedTenant create(@Body CreateTenantRequest request) {
    TenantService.Onboarded onboarded = service.create(request.name(), request.plan());
    Tenant tenant = onboarded.tenant();
    return new CreatedTenant(
        tenant.name(), tenant.plan(), tenant.status(), onboarded.apiKey(), onboarded.operationId());
  }

  @Get
  public List<TenantView> list() {
    return service.list().stream().map(this::view).toList();
  }

  @Get("/{name}")
  public TenantView show(String name) {
    return view(service.get(name));
  }

  @Delete("/{name}")
  public HttpResponse<StartedOperation> delete(String name) {
    return HttpResponse.accepted().body(started(service.delete(name)));
  }

  @Post("/{name}/retry")
  public HttpResponse<StartedOperation> retry(String name) {
    return HttpResponse.accepted().body(started(service.retry(name)));
  }

  /**
   * Changes the plan: 202 with the UPDATING tenant's operation; 200 with the tenant, unchanged,
   * when it is already on that plan.
   */
  @Patch("/{name}")
  public HttpResponse<?> update(String name, @Body UpdateTenantRequest request) {
    return service
        .update(name, request.plan())
        .<HttpResponse<?>>map(started -> HttpResponse.accepted().body(started(started)))
        .orElseGet(() -> HttpResponse.ok(view(service.get(name))));
  }

  /** Reports drift of a READY tenant's resources as the operation's events; repairs nothing. */
  @Post("/{name}/refresh")
  public HttpResponse<StartedOperation> refresh(String name) {
    return HttpResponse.accepted().body(started(service.refresh(name)));
  }

  @Post("/{name}/suspend")
  public TenantView suspend(String name) {
    return view(service.suspend(name));
  }

  @Post("/{name}/resume")
  public TenantView resume(String name) {
    return view(service.resume(name));
  }

  @Post("/{name}/api-keys")
  public RotatedKey rotateKey(String name) {
    TenantService.RotatedKey rotated = service.rotateKey(name);
    return new RotatedKey(
        rotated.tenant().name(), rotated.apiKey(), rotated.tenant().credentialId());
  }

  private StartedOperation started(TenantService.Started started) {
    return new StartedOperation(
        started.tenant().name(),
        started.tenant().status(),
        started.operationId(),
        started.targetPlan());
  }

  private TenantView view(Tenant tenant) {
    return new TenantView(
        tenant.name(),
        tenant.plan(),
        tenant.status(),
        tenant.createdAt(),
        tenant.updatedAt(),
        tenant.error(),
        service.latestOperation(tenant).map(Operation::id).orElse(null),
        service.resourcesOf(tenant));
  }
}
