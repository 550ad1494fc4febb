package dev.conductor.tenant;

import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.PageCursor;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.RotatedKey;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.TenantPage;
import dev.conductor.api.v1.TenantView;
import dev.conductor.api.v1.UpdateTenantRequest;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** The operator's tenant API. */
@Controller(value = "/v1/tenants", consumes = MediaType.APPLICATION_JSON)
@Tag(name = "tenants")
@OperatorApi
public class TenantController {
  private final TenantService service;

  TenantController(TenantService service) {
    this.service = service;
  }

  @Post
  @Status(HttpStatus.ACCEPTED)
  @Answers.Conflict
  @Answers.JsonBody
  @Answers.Unprocessable
  public CreatedTenant create(@Body CreateTenantRequest request) {
    TenantService.Onboarded onboarded = service.create(request.name(), request.plan());
    Tenant tenant = onboarded.tenant();
    return new CreatedTenant(
        tenant.name(),
        tenant.plan(),
        tenant.status().name(),
        onboarded.apiKey(),
        onboarded.operationId().toString());
  }

  /**
   * Every live tenant by name, as an array, when no paging or filter parameter is given (as it
   * always answered); with any of them, one page of them, filters combined.
   */
  @Get
  @Operation(operationId = "listTenants")
  @ApiResponse(
      responseCode = "200",
      description =
          "Without limit, cursor, status, plan or namePrefix: an array of every live tenant;"
              + " with any of them: a TenantPage",
      content = @Content(schema = @Schema(ref = "#/components/schemas/TenantListing")))
  @Answers.Unprocessable
  public Object list(
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String plan,
      @Nullable @QueryValue String namePrefix,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    if (status == null && plan == null && namePrefix == null && limit == null && cursor == null) {
      return views(service.list());
    }
    int size = PageCursor.limit(limit);
    NameCursor after = NameCursor.decode(cursor);
    List<Tenant> page =
        service.page(
            liveStatus(status),
            blankToNull(plan),
            blankToNull(namePrefix),
            after == null ? null : after.name(),
            size + 1);
    List<Tenant> shown = page.stream().limit(size).toList();
    String next = page.size() > size ? new NameCursor(shown.get(size - 1).name()).encode() : null;
    return new TenantPage(views(shown), next);
  }

  /** A live tenant's status, case-insensitive; anything else (DELETED included) is a 422. */
  private static @Nullable TenantStatus liveStatus(@Nullable String value) {
    String wanted = blankToNull(value);
    if (wanted == null) {
      return null;
    }
    List<TenantStatus> live =
        Arrays.stream(TenantStatus.values()).filter(s -> s != TenantStatus.DELETED).toList();
    return live.stream()
        .filter(s -> s.name().equalsIgnoreCase(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "unknown status '"
                        + wanted
                        + "'; one of "
                        + live.stream().map(Enum::name).collect(Collectors.joining(", "))));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Get("/{name}")
  @Answers.NotFound
  @Operation(operationId = "getTenant")
  public TenantView show(String name) {
    return view(service.get(name));
  }

  @Delete("/{name}")
  @Status(HttpStatus.ACCEPTED)
  @Answers.NotFound
  @Answers.Conflict
  public StartedOperation delete(String name) {
    return started(service.delete(name));
  }

  @Post("/{name}/retry")
  @Status(HttpStatus.ACCEPTED)
  @Answers.NotFound
  @Answers.Conflict
  public StartedOperation retry(String name) {
    return started(service.retry(name));
  }

  /**
   * Changes the plan: 202 with the UPDATING tenant's operation; 200 with the tenant, unchanged,
   * when it is already on that plan.
   */
  @Patch("/{name}")
  @ApiResponse(
      responseCode = "202",
      description = "The update started",
      content = @Content(schema = @Schema(implementation = StartedOperation.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Already on that plan: the tenant, unchanged",
      content = @Content(schema = @Schema(implementation = TenantView.class)))
  @Answers.NotFound
  @Answers.Conflict
  @Answers.JsonBody
  @Answers.Unprocessable
  public HttpResponse<?> update(String name, @Valid @Body UpdateTenantRequest request) {
    return service
        // @Valid has rejected a missing plan before this method runs.
        .update(name, Objects.requireNonNull(request.plan(), "plan"))
        .<HttpResponse<?>>map(started -> HttpResponse.accepted().body(started(started)))
        .orElseGet(() -> HttpResponse.ok(view(service.get(name))));
  }

  /**
   * 202 with an operation that reports what {@code PATCH} to the plan would change, as its events,
   * and changes nothing (the tenant stays READY on its plan).
   */
  @Post("/{name}/preview")
  @Status(HttpStatus.ACCEPTED)
  @Answers.NotFound
  @Answers.Conflict
  @Answers.JsonBody
  @Answers.Unprocessable
  public StartedOperation preview(String name, @Valid @Body UpdateTenantRequest request) {
    return started(service.preview(name, Objects.requireNonNull(request.plan(), "plan")));
  }

  /** Reports drift of a READY tenant's resources as the operation's events; repairs nothing. */
  @Post("/{name}/refresh")
  @Status(HttpStatus.ACCEPTED)
  @Answers.NotFound
  @Answers.Conflict
  public StartedOperation refresh(String name) {
    return started(service.refresh(name));
  }

  @Post("/{name}/suspend")
  @Answers.NotFound
  @Answers.Conflict
  public TenantView suspend(String name) {
    return view(service.suspend(name));
  }

  @Post("/{name}/resume")
  @Answers.NotFound
  @Answers.Conflict
  public TenantView resume(String name) {
    return view(service.resume(name));
  }

  @Post("/{name}/api-keys")
  @Answers.NotFound
  @Answers.Conflict
  public RotatedKey rotateKey(String name) {
    TenantService.RotatedKey rotated = service.rotateKey(name);
    return new RotatedKey(
        rotated.tenant().name(),
        rotated.apiKey(),
        Objects.requireNonNull(
            rotated.tenant().credentialId(), "a rotated key has its credential"));
  }

  private StartedOperation started(TenantService.Started started) {
    return new StartedOperation(
        started.tenant().name(),
        started.tenant().status().name(),
        started.operationId().toString(),
        started.targetPlan());
  }

  private List<TenantView> views(List<Tenant> listed) {
    TenantService.ListingDetails details = service.listingDetails(listed);
    return listed.stream()
        .map(
            tenant -> {
              UUID operation = details.latestOperations().get(tenant.id());
              return view(
                  tenant,
                  operation == null ? null : operation.toString(),
                  details.resources().getOrDefault(tenant.id(), Map.of()));
            })
        .toList();
  }

  private TenantView view(Tenant tenant) {
    return view(
        tenant,
        service.latestOperation(tenant).map(o -> o.id().toString()).orElse(null),
        service.resourcesOf(tenant));
  }

  private static TenantView view(
      Tenant tenant, @Nullable String latestOperation, Map<String, Map<String, String>> resources) {
    return new TenantView(
        tenant.name(),
        tenant.plan(),
        tenant.status().name(),
        tenant.createdAt(),
        tenant.updatedAt(),
        tenant.error(),
        latestOperation,
        resources);
  }
}
