package dev.conductor.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Maps each domain exception to its status once, for the whole API. */
final class DomainExceptionHandlers {
  private DomainExceptionHandlers() {}

  @Singleton
  @Requires(classes = NotFoundException.class)
  static class NotFound extends ErrorResponseProcessorExceptionHandler<NotFoundException> {
    NotFound(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(NotFoundException exception) {
      return HttpResponse.status(HttpStatus.NOT_FOUND);
    }
  }

  @Singleton
  @Requires(classes = ConflictException.class)
  static class Conflict extends ErrorResponseProcessorExceptionHandler<ConflictException> {
    Conflict(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(ConflictException exception) {
      return HttpResponse.status(HttpStatus.CONFLICT);
    }
  }

  @Singleton
  @Requires(classes = InvalidRequestException.class)
  static class Invalid extends ErrorResponseProcessorExceptionHandler<InvalidRequestException> {
    Invalid(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(InvalidRequestException exception) {
      return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY);
    }
  }

  @Singleton
  @Requires(classes = UnauthorizedException.class)
  static class Unauthorized extends ErrorResponseProcessorExceptionHandler<UnauthorizedException> {
    Unauthorized(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(UnauthorizedException exception) {
      return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer");
    }
  }

  @Singleton
  @Requires(classes = PayloadTooLargeException.class)
  static class TooLarge extends ErrorResponseProcessorExceptionHandler<PayloadTooLargeException> {
    TooLarge(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(PayloadTooLargeException exception) {
      return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    }
  }

  @Singleton
  @Requires(classes = ForbiddenException.class)
  static class Forbidden extends ErrorResponseProcessorExceptionHandler<ForbiddenException> {
    Forbidden(ErrorResponseProcessor<?> processor) {
      super(processor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(ForbiddenException exception) {
      return HttpResponse.status(HttpStatus.FORBIDDEN);
    }
  }
}
