package dev.conductor.api;

import dev.conductor.health.DatabaseLiveness;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;

/**
 * While the database does not answer, API requests get 503 with Retry-After at once instead of
 * waiting for a connection that will not come.
 */
@ServerFilter("/v1/**")
public class DatabaseGateFilter implements Ordered {
  private final DatabaseLiveness liveness;
  private final ErrorResponseProcessor<?> errors;

  DatabaseGateFilter(DatabaseLiveness liveness, ErrorResponseProcessor<?> errors) {
    this.liveness = liveness;
    this.errors = errors;
  }

  /** Null lets the request through; a response short-circuits it. */
  @RequestFilter
  @Nullable
  public MutableHttpResponse<?> failFast(HttpRequest<?> request) {
    if (liveness.isUp()) {
      return null;
    }
    DatabaseUnavailableException outage = new DatabaseUnavailableException(liveness.retryAfter());
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(outage.getMessage()).build(),
        HttpResponse.status(outage.status())
            .header(HttpHeaders.RETRY_AFTER, RetryAfter.seconds(outage.retryAfter())));
  }

  /** Before the tenant-key filter, which itself needs the database. */
  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE + 100;
  }
}
