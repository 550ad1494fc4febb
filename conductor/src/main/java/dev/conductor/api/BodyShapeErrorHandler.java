package dev.conductor.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import jakarta.inject.Singleton;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A body or parameter that does not fit the endpoint (an array where an object belongs, a number
 * where text belongs) is a 400 that names the field, never the server's classes.
 */
@Singleton
@Replaces(ConversionErrorHandler.class)
public class BodyShapeErrorHandler
    implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {
  private static final Pattern PROPERTY = Pattern.compile("property \\[(?:[^\\]]* )?(\\w+)\\]");
  private final ErrorResponseProcessor<?> errors;

  BodyShapeErrorHandler(ErrorResponseProcessor<?> errors) {
    this.errors = errors;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail(exception)).build(),
        HttpResponse.badRequest());
  }

  static String detail(ConversionErrorException exception) {
    String argument = exception.getArgument().getName();
    StringBuilder chain = new StringBuilder();
    String field = null;
    for (Throwable cause = exception.getConversionError().getCause();
        cause != null && chain.length() < 10_000;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      chain.append(cause.getMessage()).append('\n');
      if (field == null && cause instanceof InvalidPropertyFormatException invalid) {
        field = invalid.getArgument().getName();
      }
    }
    String messages = chain.toString();
    if (!argument.equals("body")) {
      return "parameter '" + argument + "' has a value of the wrong type";
    }
    Matcher property = PROPERTY.matcher(messages);
    while (field == null && property.find()) {
      field = property.group(1);
    }
    if (field != null) {
      return messages.contains(StrictStringDeserializer.NOT_A_STRING)
          ? "'" + field + "' must be a JSON string"
          : "'" + field + "' has a value of the wrong JSON type";
    }
    if (messages.contains("expected START_OBJECT")) {
      return "the request body must be a JSON object";
    }
    return "the request body does not have the fields and types this endpoint expects";
  }
}
