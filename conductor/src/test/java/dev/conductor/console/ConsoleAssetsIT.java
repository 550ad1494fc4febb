package dev.conductor.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console is served from the conductor's jar to anyone (it holds no data: every number comes
 * from the API with the operator's token), needs nothing beyond this server, and is locked to it.
 * Runs without a browser; {@link ConsoleBrowserIT} drives it in one.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleAssetsIT {
  private static final Pattern REFERENCE =
      Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"|from \"(\\./[^\"]+|\\.\\./[^\"]+)\"");
  // The SVG namespace is a name, not an address the browser fetches.
  private static final Pattern ABSOLUTE_URL =
      Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg)", Pattern.CASE_INSENSITIVE);

  private static RunningConductor conductor;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    conductor = RunningConductor.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (conductor != null) {
      conductor.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ui", "/ui/", "/ui/index.html"})
  void thePageIsServedOpenWithAPolicyThatKeepsItToThisServer(String address) throws Exception {
    HttpResponse<String> page = open(address);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(ConsoleHeaders.POLICY);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/js/app.js\">");
  }

  @Test
  void everyScriptAndStylesheetComesFromTheServerWithItsType() throws Exception {
    Set<String> loaded = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add("/ui/");
    while (!pending.isEmpty()) {
      String path = pending.pop();
      HttpResponse<String> asset = open(path);
      assertThat(asset.statusCode()).as(path).isEqualTo(200);
      assertThat(ABSOLUTE_URL.matcher(asset.body()).find())
          .as(path + " names an absolute URL: it would need the network")
          .isFalse();
      if (path.endsWith(".js")) {
        // Module scripts run only with a JavaScript type (and nosniff holds the browser to it).
        assertThat(asset.headers().firstValue("Content-Type"))
            .as(path)
            .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
      }
      Matcher references = REFERENCE.matcher(asset.body());
      while (references.find()) {
        String next =
            references.group(1) != null
                ? references.group(1)
                : URI.create(path).resolve(references.group(2)).getPath();
        if (loaded.add(next)) {
          pending.add(next);
        }
      }
    }
    assertThat(loaded)
        .contains(
            "/ui/console.css",
            "/ui/js/app.js",
            "/ui/js/api.js",
            "/ui/js/pages/tenants.js",
            "/ui/js/pages/operation.js");
  }

  @Test
  void theApiStillWantsTheTokenWhereTheConsoleIsOpen() throws Exception {
    assertThat(open("/v1/tenants").statusCode()).isEqualTo(401);
    assertThat(open("/metrics").statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> open(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(conductor.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
