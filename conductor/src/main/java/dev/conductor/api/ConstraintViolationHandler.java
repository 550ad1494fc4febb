package dev.conductor.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request record that breaks its constraints ({@code @Valid}) is 422, like every other invalid
 * request; the detail is the constraints' own messages, without property paths.
 */
@Singleton
@Produces
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler
    implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  ConstraintViolationHandler(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
    String detail = detail(exception.getConstraintViolations());
    return processor.processResponse(
        ErrorContext.builder(request).cause(exception).errorMessage(detail).build(),
        HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY));
  }

  /** The constraints' own messages, each once, in a stable order. */
  public static String detail(Set<? extends ConstraintViolation<?>> violations) {
    return violations.stream()
        .map(ConstraintViolation::getMessage)
        .distinct()
        .sorted()
        .collect(Collectors.joining("; "));
  }
}
