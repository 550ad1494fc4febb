package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import java.util.List;
import java.util.Map;
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
    assertThat(JsonDepth.of(JsonNode.createStringNode("x"))).isZero();
    JsonNode tree =
        JsonNode.createObjectNode(
            Map.of(
                "a", JsonNode.createArrayNode(List.of()),
                "b",
                    JsonNode.createArrayNode(
                        List.of(JsonNode.createObjectNode(Map.of("c", JsonNode.nullNode()))))));
    assertThat(JsonDepth.of(tree)).isEqualTo(3);
    JsonNode deep = JsonNode.createArrayNode(List.of());
    for (int i = 1; i < 50_000; i++) {
      deep = JsonNode.createArrayNode(List.of(deep));
    }
    assertThat(JsonDepth.of(deep)).isEqualTo(50_000);
  }
}
