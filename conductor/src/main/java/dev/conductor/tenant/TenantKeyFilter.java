package dev.conductor.tenant;

import dev.conductor.api.BearerToken;
import dev.conductor.api.FailedAuthThrottle;
import dev.conductor.secret.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The tenant-facing job API authenticates with the tenant's API key: missing, wrong or revoked →
 * 401; a suspended or deleted tenant → 403. The tenant travels on as a request attribute.
 */
@ServerFilter("/v1/jobs/**")
public class TenantKeyFilter {
  public static final String TENANT = "conductor.tenant";
  private final TenantRepository tenants;
  private final ErrorResponseProcessor<?> errors;
  private final FailedAuthThrottle throttle;

  TenantKeyFilter(
      TenantRepository tenants, ErrorResponseProcessor<?> errors, FailedAuthThrottle throttle) {
    this.tenants = tenants;
    this.errors = errors;
    this.throttle = throttle;
  }

  /** Null lets the request through; a response short-circuits it. */
  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  public MutableHttpResponse<?> authenticate(HttpRequest<?> request) {
    MutableHttpResponse<?> throttled = throttle.refusal(request);
    if (throttled != null) {
      return throttled;
    }
    String key = BearerToken.from(request);
    if (key == null) {
      return refuse(
          request, HttpStatus.UNAUTHORIZED, "missing bearer token: send the tenant API key");
    }
    Tenant tenant = tenants.findByApiKeyHash(ApiKeys.hash(key)).orElse(null);
    if (tenant == null) {
      throttle.recordFailure(request);
      return refuse(request, HttpStatus.UNAUTHORIZED, "invalid or revoked API key");
    }
    if (tenant.status() == TenantStatus.SUSPENDED
        || tenant.status() == TenantStatus.DELETING
        || tenant.status() == TenantStatus.DELETED) {
      return refuse(
          request,
          HttpStatus.FORBIDDEN,
          "tenant '" + tenant.name() + "' is " + tenant.status() + " and cannot use the job API");
    }
    request.setAttribute(TENANT, tenant);
    return null;
  }

  private MutableHttpResponse<?> refuse(HttpRequest<?> request, HttpStatus status, String detail) {
    MutableHttpResponse<?> response = HttpResponse.status(status);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.header("WWW-Authenticate", "Bearer");
    }
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail).build(), response);
  }
}
