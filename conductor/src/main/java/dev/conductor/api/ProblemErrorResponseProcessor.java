package dev.conductor.api;

import dev.conductor.api.v1.Problem;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every error, ours and the framework's (bad JSON, 404 route, 405, 413, 415), as {@code
 * application/problem+json}. Server errors never echo internals: the detail carries a reference to
 * the log line instead.
 */
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);
  private static final MediaType PROBLEM_JSON = MediaType.of(Problem.MEDIA_TYPE);

  @Override
  @SuppressWarnings("unchecked")
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    int status = response.code();
    String title = response.reason();
    String detail;
    // 503 is an outage we name ourselves (the database not answering), not a server bug.
    if (status >= 500 && status != 503) {
      String reference = UUID.randomUUID().toString();
      LOG.error(
          "request failed method={} path={} ref={}",
          context.getRequest().getMethod(),
          context.getRequest().getPath(),
          reference,
          context.getRootCause().orElse(null));
      detail = "internal error, reference " + reference + " in the server log";
    } else {
      detail =
          context.getErrors().stream()
              .map(Error::getMessage)
              .findFirst()
              .filter(message -> !message.isBlank())
              .orElse(title);
    }
    MutableHttpResponse<Problem> problem = (MutableHttpResponse<Problem>) response;
    if (context.getRequest().getMethod() == HttpMethod.HEAD) {
      return problem;
    }
    return problem
        .body(new Problem("about:blank", title, status, detail))
        .contentType(PROBLEM_JSON);
  }
}
