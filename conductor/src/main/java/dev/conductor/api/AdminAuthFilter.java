package dev.conductor.api;

import dev.conductor.secret.AdminToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;

/**
 * Every operator endpoint ({@code /v1/**} except the tenant-facing job API, and {@code /metrics})
 * needs {@code Authorization: Bearer <admin token>}. {@code /metrics/**} too: the router also
 * answers {@code /metrics/}, which the pattern {@code /metrics} alone does not match.
 */
@ServerFilter({"/v1/**", "/metrics", "/metrics/**"})
public class AdminAuthFilter {
  private final AdminToken adminToken;
  private final ErrorResponseProcessor<?> errors;
  private final FailedAuthThrottle throttle;

  AdminAuthFilter(
      AdminToken adminToken, ErrorResponseProcessor<?> errors, FailedAuthThrottle throttle) {
    this.adminToken = adminToken;
    this.errors = errors;
    this.throttle = throttle;
  }

  /** Null lets the request through; a response short-circuits it. */
  @RequestFilter
  @Nullable
  public MutableHttpResponse<?> authenticate(HttpRequest<?> request) {
    if (request.getPath().startsWith("/v1/jobs")) {
      return null;
    }
    MutableHttpResponse<?> throttled = throttle.refusal(request);
    if (throttled != null) {
      return throttled;
    }
    String presented = BearerToken.from(request);
    if (presented == null) {
      return unauthorized(
          request, "missing bearer token: send Authorization: Bearer <admin token>");
    }
    if (!adminToken.matches(presented)) {
      throttle.recordFailure(request);
      return unauthorized(request, "invalid admin token");
    }
    return null;
  }

  private MutableHttpResponse<?> unauthorized(HttpRequest<?> request, String detail) {
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail).build(),
        HttpResponse.unauthorized().header("WWW-Authenticate", "Bearer"));
  }
}
