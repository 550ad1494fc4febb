package dev.conductor.health;

import dev.conductor.api.ApiExceptionHandler;
import dev.conductor.api.DatabaseUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * An unexpected exception caused by a lost or unobtainable database connection is the database's
 * outage, not a server bug: 503 with Retry-After. Anything else stays a 500.
 */
@Singleton
public class DatabaseFailureHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
  private final DatabaseLiveness liveness;
  private final ErrorResponseProcessor<?> errors;
  private final ApiExceptionHandler api;

  DatabaseFailureHandler(
      DatabaseLiveness liveness, ErrorResponseProcessor<?> errors, ApiExceptionHandler api) {
    this.liveness = liveness;
    this.errors = errors;
    this.api = api;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
    if (DatabaseFailures.isOutage(exception)) {
      return api.handle(request, new DatabaseUnavailableException(liveness.retryAfter()));
    }
    return errors.processResponse(
        ErrorContext.builder(request).cause(exception).build(), HttpResponse.serverError());
  }
}
