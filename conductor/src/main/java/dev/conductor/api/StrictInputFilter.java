package dev.conductor.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import java.io.IOException;
import java.util.Locale;

/**
 * Refuses, with 400, input that a lenient reader would quietly reinterpret or that PostgreSQL
 * cannot store: JSON with trailing content or duplicate keys, and NUL characters in the path, the
 * query or any JSON string; with 422, JSON nested deeper than any endpoint accepts.
 */
@ServerFilter("/**")
public class StrictInputFilter implements Ordered {
  /**
   * Deeper bodies are refused before binding: the binder recurses per level and overflowed its
   * thread's stack on bodies far below Jackson's default of 1,000 (job payloads nest at most 32).
   */
  static final int MAX_NESTING = 64;

  private static final String TOO_DEEP = "the request body nests JSON deeper than ";

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .build();
  private final ErrorResponseProcessor<?> errors;

  StrictInputFilter(ErrorResponseProcessor<?> errors) {
    this.errors = errors;
  }

  /** Null lets the request through; a response short-circuits it. */
  @RequestFilter
  @Nullable
  public MutableHttpResponse<?> screen(HttpRequest<?> request, @Nullable @Body byte[] body) {
    String rawPath = request.getUri().getRawPath();
    if (hasNul(rawPath)) {
      return badRequest(request, "the path must not contain NUL (%00) characters");
    }
    String rawQuery = request.getUri().getRawQuery();
    if (rawQuery != null && hasNul(rawQuery)) {
      return badRequest(request, "query parameters must not contain NUL (%00) characters");
    }
    if (body == null || body.length == 0 || !isJson(request)) {
      return null;
    }
    String problem = jsonProblem(body);
    if (problem == null) {
      return null;
    }
    // Well-formed but beyond a limit: the request is understood and refused, as for payload depth.
    return problem.startsWith(TOO_DEEP)
        ? refuse(request, problem, HttpResponse.unprocessableEntity())
        : badRequest(request, problem);
  }

  /** After authentication: an unauthenticated caller learns nothing about what it sent. */
  @Override
  public int getOrder() {
    return 1000;
  }

  private static boolean hasNul(String raw) {
    return raw.indexOf('\0') >= 0 || raw.toLowerCase(Locale.ROOT).contains("%00");
  }

  private static boolean isJson(HttpRequest<?> request) {
    return request
        .getContentType()
        .map(type -> type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))
        .orElse(false);
  }

  /** What is wrong with the body, in the request's terms; null when it is one clean JSON value. */
  static @Nullable String jsonProblem(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken token = parser.nextToken();
      int depth = 0;
      while (token != null) {
        if ((token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
            && parser.getText().indexOf('\0') >= 0) {
          return at(parser, "JSON strings must not contain NUL (\\u0000) characters");
        }
        depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
        if (depth == 0) {
          return trailing(parser);
        }
        token = parser.nextToken();
      }
      return null;
    } catch (StreamConstraintsException e) {
      return exceeded(String.valueOf(e.getMessage()));
    } catch (JsonParseException e) {
      String message = e.getOriginalMessage();
      if (message.startsWith("Duplicate field")) {
        return at(
            e, "the request body repeats the key " + message.substring(message.indexOf('\'')));
      }
      return at(e, "the request body is not valid JSON: " + message);
    } catch (IOException e) {
      return "the request body is not valid JSON";
    }
  }

  /** Which of the parser's limits the body exceeds, without the parser's own vocabulary. */
  private static String exceeded(String message) {
    StreamReadConstraints limits = JSON.streamReadConstraints();
    if (message.contains("nesting depth")) {
      return TOO_DEEP + limits.getMaxNestingDepth() + " levels";
    }
    if (message.contains("Number value length")) {
      return "numbers in the request body may have at most "
          + limits.getMaxNumberLength()
          + " digits";
    }
    if (message.contains("Name length")) {
      return "keys in the request body may be at most " + limits.getMaxNameLength() + " characters";
    }
    return "the request body exceeds the server's limits for JSON";
  }

  private static @Nullable String trailing(JsonParser parser) throws IOException {
    String detail = "the request body must be one JSON value with nothing after it";
    try {
      return parser.nextToken() == null ? null : at(parser, detail);
    } catch (JsonParseException e) {
      return at(e, detail);
    }
  }

  private static String at(JsonParser parser, String detail) {
    var location = parser.currentLocation();
    return detail + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String at(JsonParseException e, String detail) {
    var location = e.getLocation();
    return location == null
        ? detail
        : detail + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private MutableHttpResponse<?> badRequest(HttpRequest<?> request, String detail) {
    return refuse(request, detail, HttpResponse.badRequest());
  }

  private MutableHttpResponse<?> refuse(
      HttpRequest<?> request, String detail, MutableHttpResponse<?> response) {
    return errors.processResponse(
        ErrorContext.builder(request).errorMessage(detail).build(), response);
  }
}
