package dev.conductor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --output}: a table for people; json, yaml or only the names (ids where a thing has no
 * name, one per line, as {@code kubectl -o name}) for scripts.
 */
public enum OutputFormat {
  TABLE,
  JSON,
  YAML,
  NAME;

  /** The answer in this format, ending in a newline; not for {@link #TABLE}, which is per verb. */
  String render(@Nullable Object value) {
    JsonNode tree = Json.MAPPER.valueToTree(value);
    return switch (this) {
      case YAML -> Yaml.of(tree);
      case NAME -> names(tree);
      default -> Json.pretty(tree) + "\n";
    };
  }

  private static String names(JsonNode tree) {
    List<JsonNode> things = new ArrayList<>();
    JsonNode list = tree.isArray() ? tree : tree.path("items");
    if (list.isArray()) {
      list.forEach(things::add);
    } else {
      things.add(tree);
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode thing : things) {
      String name = Json.text(thing, "name");
      String id = name != null ? name : Json.text(thing, "id");
      if (id != null) {
        out.append(id).append('\n');
      }
    }
    return out.toString();
  }
}
