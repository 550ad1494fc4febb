package dev.conductor.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Maps every {@link ApiException} to its status, once for the whole API. */
@Singleton
public class ApiExceptionHandler extends ErrorResponseProcessorExceptionHandler<ApiException> {
  ApiExceptionHandler(ErrorResponseProcessor<?> processor) {
    super(processor);
  }

  @Override
  protected MutableHttpResponse<?> createResponse(ApiException exception) {
    MutableHttpResponse<?> response = HttpResponse.status(exception.status());
    if (exception.retryAfter() != null) {
      response.header(HttpHeaders.RETRY_AFTER, RetryAfter.seconds(exception.retryAfter()));
    }
    return response;
  }
}
