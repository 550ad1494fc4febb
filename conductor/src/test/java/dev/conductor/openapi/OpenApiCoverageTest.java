package dev.conductor.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.conductor.api.client.ConductorClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenAPI document the build writes has every endpoint that docs/api.md describes and that the
 * CLI's client ({@link ConductorClient}) calls: adding one to either without the server's
 * controllers (or the document) fails here.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenApiCoverageTest {
  /**
   * {@code `POST /v1/tenants/{name}/suspend` / `resume`}: a request, then sibling last segments.
   */
  private static final Pattern DOCUMENTED =
      Pattern.compile("`(GET|PUT|POST|PATCH|DELETE) (/[^`\\s\\[?]*)[^`]*`((?: / `[a-z][a-z-]*`)*)");

  private static final Pattern SIBLING = Pattern.compile("`([a-z][a-z-]*)`");

  private final OpenApiDocument document = OpenApiDocument.fromClassPath();

  @Test
  void everyRequestDocsApiMdDescribesIsInTheDocument() throws Exception {
    String api = Files.readString(Path.of("..", "docs", "api.md"), StandardCharsets.UTF_8);
    Set<String> described = new TreeSet<>();
    Matcher request = DOCUMENTED.matcher(api);
    while (request.find()) {
      String method = request.group(1);
      String path = request.group(2);
      described.add(method + " " + OpenApiDocument.normal(path));
      Matcher sibling = SIBLING.matcher(request.group(3));
      while (sibling.find()) {
        String parent = path.substring(0, path.lastIndexOf('/') + 1);
        described.add(method + " " + OpenApiDocument.normal(parent + sibling.group(1)));
      }
    }

    // docs/api.md names all of the API: its tables, /health and /info.
    assertThat(described)
        .hasSizeGreaterThanOrEqualTo(29)
        .contains("GET /health", "GET /info", "POST /v1/tenants/{}/resume", "GET /v1/jobs/{}");
    assertThat(document.operations()).containsAll(described);
  }

  @Test
  void everyRequestTheClientSendsIsInTheDocument() throws Exception {
    Collection<String> sent = new ConcurrentLinkedQueue<>();
    // Records each request and answers it as a conductor answers an unknown id.
    HttpServer recorder =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    recorder.createContext(
        "/",
        exchange -> {
          sent.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
          exchange.getRequestBody().readAllBytes();
          byte[] problem =
              "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"recorded\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
          exchange.sendResponseHeaders(404, problem.length);
          exchange.getResponseBody().write(problem);
          exchange.close();
        });
    recorder.start();
    Map<String, List<String>> byMethod = new LinkedHashMap<>();
    try {
      URI server = URI.create("http://127.0.0.1:" + recorder.getAddress().getPort());
      ConductorClient client = new ConductorClient(server, "token", "coverage-test");
      for (Method method : ConductorClient.class.getDeclaredMethods()) {
        if (!Modifier.isPublic(method.getModifiers())
            || Modifier.isStatic(method.getModifiers())
            || method.getName().equals("server")) {
          continue;
        }
        int before = sent.size();
        try {
          method.invoke(client, arguments(method.getParameterTypes()));
        } catch (java.lang.reflect.InvocationTargetException expected) {
          // Every answer is a 404 problem: only the request matters here.
        }
        byMethod.put(method.getName(), new ArrayList<>(sent).subList(before, sent.size()));
      }
    } finally {
      recorder.stop(0);
    }

    // A client method that sent nothing would hide its endpoint from this test.
    assertThat(byMethod).hasSizeGreaterThanOrEqualTo(28);
    byMethod.forEach(
        (name, requests) -> assertThat(requests).as("requests of %s", name).isNotEmpty());
    Set<String> unknown = new TreeSet<>();
    for (String request : sent) {
      if (!inDocument(request)) {
        unknown.add(request);
      }
    }
    assertThat(unknown).as("requests the OpenAPI document lacks").isEmpty();
  }

  /** A concrete request, such as {@code GET /v1/tenants/a1}, against the document's templates. */
  private boolean inDocument(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String path = request.substring(request.indexOf(' ') + 1);
    return document.operations().stream()
        .filter(operation -> operation.startsWith(method + " "))
        .map(operation -> operation.substring(method.length() + 1))
        .anyMatch(template -> matches(template, path));
  }

  private static boolean matches(String template, String path) {
    String[] expected = template.split("/", -1);
    String[] actual = path.split("/", -1);
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (!expected[i].equals("{}") && !expected[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  /** Plain values for a client method: a name or id, a small number, a request record. */
  private static Object[] arguments(Class<?>[] types) throws Exception {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] = value(types[i]);
    }
    return values;
  }

  private static Object value(Class<?> type) throws Exception {
    if (type == String.class) {
      return "a1";
    } else if (type == Integer.class || type == int.class) {
      return 1;
    } else if (type == Boolean.class || type == boolean.class) {
      return true;
    } else if (type == Duration.class) {
      return Duration.ofSeconds(1);
    } else if (type == List.class) {
      return List.of();
    } else if (type.isRecord()) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] parameters =
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      return type.getDeclaredConstructor(parameters).newInstance(arguments(parameters));
    }
    return null;
  }
}
