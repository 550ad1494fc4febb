package dev.conductor.openapi;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint may answer besides its controller's ({@link OperatorApi}, {@link
 * TenantKeyApi}), for the OpenAPI document: {@code @Answers.NotFound @Answers.Conflict}.
 */
public final class Answers {
  private Answers() {}

  /** 404: no such tenant, operation, job or worker. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @ApiResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public @interface NotFound {}

  /** 409: the resource's state does not allow it now. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @ApiResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
  public @interface Conflict {}

  /** 422: well-formed but invalid input. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @ApiResponse(responseCode = "422", ref = ProblemResponses.UNPROCESSABLE)
  public @interface Unprocessable {}

  /** 413 and 415: the endpoint reads a JSON body, of at most 1 MB. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  @ApiResponse(responseCode = "413", ref = ProblemResponses.PAYLOAD_TOO_LARGE)
  @ApiResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
  public @interface JsonBody {}
}
