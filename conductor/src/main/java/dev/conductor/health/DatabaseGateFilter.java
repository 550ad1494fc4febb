package dev.conductor.health;

import dev.conductor.api.ApiExceptionHandler;
import dev.conductor.api.DatabaseUnavailableException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * While the database does not answer, API requests get 503 with Retry-After at once instead of
 * waiting for a connection that will not come.
 */
@ServerFilter("/v1/**")
public class DatabaseGateFilter implements Ordered {
  private final DatabaseLiveness liveness;
  private final ApiExceptionHandler api;

  DatabaseGateFilter(DatabaseLiveness liveness, ApiExceptionHandler api) {
    this.liveness = liveness;
    this.api = api;
  }

  /** Null lets the request through; a response short-circuits it. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> failFast(HttpRequest<?> request) {
    if (liveness.isUp()) {
      return null;
    }
    return api.handle(request, new DatabaseUnavailableException(liveness.retryAfter()));
  }

  /** Before the tenant-key filter, which itself needs the database. */
  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE + 100;
  }
}
