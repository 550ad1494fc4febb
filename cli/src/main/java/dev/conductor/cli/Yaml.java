package dev.conductor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON tree as block-style YAML, for {@code --output yaml}. Strings that YAML could read as
 * something else (a number, a boolean, null, a date, text with ': ' or a leading indicator) are
 * written as JSON strings, which are valid YAML double-quoted scalars; so what a YAML parser reads
 * back is the tree. Written here because a YAML library would cost the CLI's start time for one
 * rarely used format.
 */
final class Yaml {
  // Plain scalars that read back as the same string: letters, digits and a few safe marks, not
  // starting with an indicator; anything else is quoted.
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+-]*");

  // Plain words YAML 1.1 or 1.2 readers take as booleans or null.
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");

  private Yaml() {}

  static String of(JsonNode tree) {
    StringBuilder out = new StringBuilder();
    if (tree.isContainerNode() && tree.size() > 0) {
      block(tree, 0, out);
    } else {
      out.append(scalar(tree)).append('\n');
    }
    return out.toString();
  }

  /** A non-empty map or list, each entry on its own line at {@code indent}. */
  private static void block(JsonNode node, int indent, StringBuilder out) {
    String pad = " ".repeat(indent);
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(pad).append(text(field.getKey())).append(':');
        value(field.getValue(), indent, out);
      }
    } else {
      for (JsonNode item : node) {
        out.append(pad).append('-');
        if (item.isObject() && item.size() > 0) {
          // The first field on the dash's line, the rest aligned under it.
          StringBuilder nested = new StringBuilder();
          block(item, indent + 2, nested);
          out.append(' ').append(nested, indent + 2, nested.length());
        } else {
          value(item, indent, out);
        }
      }
    }
  }

  /** What follows a key's colon or a list dash: a scalar on the line, or a nested block. */
  private static void value(JsonNode value, int indent, StringBuilder out) {
    if (value.isContainerNode() && value.size() > 0) {
      out.append('\n');
      block(value, indent + 2, out);
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  private static String scalar(JsonNode value) {
    if (value.isObject()) {
      return "{}";
    }
    if (value.isArray()) {
      return "[]";
    }
    if (value.isTextual()) {
      return text(value.textValue());
    }
    // Numbers, booleans and null read back as themselves.
    return value.toString();
  }

  private static String text(String text) {
    if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase())) {
      return text;
    }
    return Json.MAPPER.getNodeFactory().textNode(text).toString();
  }
}
