package dev.conductor.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document as tests read it: its operations as {@code METHOD /path/{}} pairs. */
record OpenApiDocument(Map<String, Object> tree) {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]*}");

  static OpenApiDocument parse(String yaml) {
    return new OpenApiDocument(new Yaml(new LoaderOptions()).load(yaml));
  }

  /** The document the build wrote onto the class path, the one the server serves. */
  static OpenApiDocument fromClassPath() {
    try (InputStream in =
        OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiController.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(OpenApiController.DOCUMENT + " is not on the class path");
      }
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation as {@code GET /v1/tenants/{}}: path parameters unnamed. */
  Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    paths()
        .forEach(
            (path, item) ->
                map(item).keySet().stream()
                    .filter(METHODS::contains)
                    .forEach(
                        method ->
                            operations.add(method.toUpperCase(Locale.ROOT) + " " + normal(path))));
    return operations;
  }

  Map<String, Object> paths() {
    return map(tree.get("paths"));
  }

  Map<String, Object> operation(String method, String path) {
    return map(map(paths().get(path)).get(method.toLowerCase(Locale.ROOT)));
  }

  Map<String, Object> components(String kind) {
    return map(map(tree.get("components")).get(kind));
  }

  /** A path with its parameters unnamed, so {@code {id}} and {@code {name}} compare equal. */
  static String normal(String path) {
    return PARAMETER.matcher(path).replaceAll("{}");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map<?, ?>)) {
      throw new AssertionError("not a YAML mapping: " + node);
    }
    return (Map<String, Object>) node;
  }
}
