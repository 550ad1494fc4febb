package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.TenantView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@code --output yaml} reads back as the JSON the server sent; {@code name} lists the names. */
class OutputFormatTest {

  // Strings a careless emitter would turn into numbers, booleans, nulls, dates or broken YAML.
  private static final String TRICKY =
      """
      {"id":"0a1b2c3d-0000-4000-8000-000000000000","name":"acme","count":3,"ratio":0.5,
       "on":true,"off":null,"empty":"","words":["yes","No","null","~","1.0","1e3","0x1F",
       "2026-12-07T10:00:00Z","a: b","- dash","# hash","[x]","{y}","*star","&amp","!bang",
       "%pct","@at","`tick","multi\\nline","tab\\there","  padded ","quote\\"d","'single'",
       "ünïcödé","/path/to","-leading",".inf"],
       "nested":{"deeper":{"list":[{"k":"v","n":1},[],{}],"emptyMap":{}}},
       "items":[{"name":"one"},{"id":"two"},{"other":"x"}]}
      """;

  @Test
  void yamlReadsBackAsTheSameTree() {
    JsonNode tree = Json.parse(TRICKY);

    String yaml = OutputFormat.YAML.render(tree);
    Object read = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);

    // A plain mapper: the API's leaves nulls out, which would hide a lost one.
    JsonNode readBack = new ObjectMapper().valueToTree(read);
    assertThat(readBack).as(yaml).isEqualTo(tree);
  }

  @Test
  void yamlOfARecordIsBlockStyle() {
    TenantView tenant =
        Json.read(
            "{\"name\":\"acme\",\"status\":\"READY\",\"plan\":\"dev\",\"resources\":{}}",
            TenantView.class);

    assertThat(OutputFormat.YAML.render(tenant))
        .startsWith("name: acme\n")
        .contains("status: READY\n")
        .contains("plan: dev\n");
  }

  @Test
  void nameListsTheNamesOrIdsOfAListingOrOfOneThing() {
    assertThat(OutputFormat.NAME.render(Json.parse(TRICKY).get("items"))).isEqualTo("one\ntwo\n");
    assertThat(
            OutputFormat.NAME.render(
                Json.read("{\"items\":[{\"id\":\"j-1\"},{\"id\":\"j-2\"}]}", JobPage.class)))
        .isEqualTo("j-1\nj-2\n");
    assertThat(OutputFormat.NAME.render(List.of())).isEmpty();
    assertThat(OutputFormat.NAME.render(Json.parse("{\"name\":\"acme\",\"id\":\"x\"}")))
        .isEqualTo("acme\n");
  }
}
