package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonDepthTest {
  @Test
  void countsNestedArraysAndObjectsNotWhatStringsHold() {
    assertThat(JsonDepth.of("1")).isZero();
    assertThat(JsonDepth.of("\"[[[\"")).isZero();
    assertThat(JsonDepth.of("{\"a\":[1,{\"b\":\"}}]]\\\"[[\"}]}")).isEqualTo(3);
    assertThat(JsonDepth.of("[".repeat(100_000) + "]".repeat(100_000))).isEqualTo(100_000);
  }

  @Test
  void countsTreesWithoutRecursion() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    assertThat(JsonDepth.of(nodes.textNode("x"))).isZero();
    ObjectNode tree = nodes.objectNode();
    tree.set("a", nodes.arrayNode());
    tree.set("b", nodes.arrayNode().add(nodes.objectNode().set("c", nodes.nullNode())));
    assertThat(JsonDepth.of(tree)).isEqualTo(3);
    JsonNode deep = nodes.arrayNode();
    for (int i = 1; i < 50_000; i++) {
      deep = nodes.arrayNode().add(deep);
    }
    assertThat(JsonDepth.of(deep)).isEqualTo(50_000);
  }
}
