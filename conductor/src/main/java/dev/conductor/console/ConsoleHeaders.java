package dev.conductor.console;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The web console's pages and scripts (static resources under {@code /ui}) run only scripts of this
 * server and talk only to it: the operator token in the tab cannot be sent elsewhere by an injected
 * script or read by a framing page.
 */
@ServerFilter({"/ui", "/ui/**"})
public class ConsoleHeaders {
  static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  @ResponseFilter
  public void secure(MutableHttpResponse<?> response) {
    response.header("Content-Security-Policy", POLICY);
    response.header("X-Content-Type-Options", "nosniff");
    response.header("Referrer-Policy", "no-referrer");
    // A new conductor's console is used at once, never an older cached script.
    response.header("Cache-Control", "no-cache");
  }
}
