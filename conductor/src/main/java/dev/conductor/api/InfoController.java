package dev.conductor.api;

import dev.conductor.api.v1.InfoView;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /info}, open like {@code /health}: the version only, so {@code conductor version} and
 * a deployment check can tell which build answers; nothing about the machine or its settings.
 */
@Controller("/info")
@Tag(name = "server")
public class InfoController {
  private final InfoView info = new InfoView("conductor", ProductVersion.current(), "v1");

  @Get
  public InfoView info() {
    return info;
  }
}
