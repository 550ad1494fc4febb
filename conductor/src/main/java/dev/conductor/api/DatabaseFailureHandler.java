package dev.conductor.api;

import dev.conductor.health.DatabaseLiveness;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

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
    if (isConnectionFailure(exception)) {
      return api.handle(request, new DatabaseUnavailableException(liveness.retryAfter()));
    }
    return errors.processResponse(
        ErrorContext.builder(request).cause(exception).build(), HttpResponse.serverError());
  }

  /** A connection that could not be had or broke: SQLState class 08, or the pool's timeout. */
  static boolean isConnectionFailure(Throwable exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException
          || cause instanceof SocketTimeoutException) {
        return true;
      }
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
