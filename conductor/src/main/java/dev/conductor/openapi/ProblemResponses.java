package dev.conductor.openapi;

/**
 * References to the error answers of the OpenAPI document (src/main/openapi/problems.yml), each an
 * application/problem+json Problem, for the controllers' {@code @ApiResponse(ref = ...)}.
 */
public final class ProblemResponses {
  private static final String PREFIX = "#/components/responses/";
  public static final String BAD_REQUEST = PREFIX + "BadRequest";
  public static final String UNAUTHORIZED = PREFIX + "Unauthorized";
  public static final String FORBIDDEN = PREFIX + "Forbidden";
  public static final String NOT_FOUND = PREFIX + "NotFound";
  public static final String CONFLICT = PREFIX + "Conflict";
  public static final String PAYLOAD_TOO_LARGE = PREFIX + "PayloadTooLarge";
  public static final String UNSUPPORTED_MEDIA_TYPE = PREFIX + "UnsupportedMediaType";
  public static final String UNPROCESSABLE = PREFIX + "UnprocessableEntity";
  public static final String TOO_MANY_REQUESTS = PREFIX + "TooManyRequests";
  public static final String UNAVAILABLE = PREFIX + "ServiceUnavailable";

  private ProblemResponses() {}
}
