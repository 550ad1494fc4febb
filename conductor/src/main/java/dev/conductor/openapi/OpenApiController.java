package dev.conductor.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yml}, open like {@code /health}: the contract describes endpoints and
 * credentials by kind only, nothing of this server's tenants or settings.
 */
@Controller
@Tag(name = "server")
public class OpenApiController {
  /** Written by the micronaut-openapi processor at compile time (conductor/openapi.properties). */
  static final String DOCUMENT = "META-INF/swagger/openapi.yml";

  static final String MEDIA_TYPE = "application/yaml";

  private final String document = read();

  @Get(value = "/openapi.yml", produces = MEDIA_TYPE)
  @Operation(summary = "This OpenAPI document")
  public HttpResponse<String> document() {
    return HttpResponse.ok(document);
  }

  private static String read() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing: the build writes it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
