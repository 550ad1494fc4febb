package dev.conductor.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * How deeply JSON nests (a scalar 0, {@code []} 1, {@code [[1]]} 2), counted without recursion so
 * that no document can overflow the stack. The JSON encoder fails past 64 levels in all, so the API
 * accepts payloads of at most {@link #MAX} and embeds stored results only up to it.
 */
final class JsonDepth {
  static final int MAX = 32;

  private JsonDepth() {}

  static int of(JsonNode node) {
    int deepest = 0;
    Deque<Map.Entry<JsonNode, Integer>> pending = new ArrayDeque<>();
    pending.push(Map.entry(node, 0));
    while (!pending.isEmpty()) {
      Map.Entry<JsonNode, Integer> next = pending.pop();
      JsonNode current = next.getKey();
      if (!current.isContainerNode()) {
        continue;
      }
      int depth = next.getValue() + 1;
      deepest = Math.max(deepest, depth);
      current.elements().forEachRemaining(child -> pending.push(Map.entry(child, depth)));
    }
    return deepest;
  }

  /** The depth of stored JSON text, by its brackets outside strings. */
  static int of(String json) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return deepest;
  }
}
