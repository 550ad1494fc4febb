package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** `operations list` against a real conductor: the table, paging by its hint, JSON, bad filters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsListCommandIT {
  private static final Pattern MORE = Pattern.compile("More: conductor (operations list .*)\n");

  @TempDir Path home;
  private RunningConductor conductor;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
    conductor.onboard("ops-one", "dev");
    conductor.onboard("ops-two", "dev");
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @Test
  void listsOperationsAsATableAndPagesByTheHint() {
    env = environment();
    CliRun all = CliRun.execute(env, "operations", "list");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.out())
        .startsWith("ID ")
        .containsPattern("ops-two +PROVISION +SUCCEEDED +1 ")
        .containsPattern("ops-one +PROVISION +SUCCEEDED +1 ");
    assertThat(all.out().indexOf("ops-two")).isLessThan(all.out().indexOf("ops-one"));

    CliRun first = CliRun.execute(env, "operations", "list", "--limit", "1");
    assertThat(first.out()).contains("ops-two").doesNotContain("ops-one");
    Matcher hint = MORE.matcher(first.out());
    assertThat(hint.find()).as(first.out()).isTrue();
    CliRun second = CliRun.execute(env, hint.group(1).split(" "));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains("ops-one").doesNotContain("ops-two");
  }

  @Test
  void jsonCarriesThePageAndFiltersNarrowIt() {
    env = environment();
    CliRun json =
        CliRun.execute(env, "operations", "list", "--tenant", "ops-one", "--output", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode page = dev.conductor.testing.Json.parse(json.out());
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("tenant").asText()).isEqualTo("ops-one");
    assertThat(page.get("nextCursor").isNull()).isTrue();

    CliRun none = CliRun.execute(env, "operations", "list", "--status", "FAILED");
    assertThat(none.out()).isEqualTo("No operations found.\n");
  }

  @Test
  void aBadFilterIsOneLineAndNonZero() {
    env = environment();
    CliRun bad = CliRun.execute(env, "operations", "list", "--kind", "bogus");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).startsWith("error: unknown kind 'bogus'").hasLineCount(1);
    assertThat(bad.out()).isEmpty();
  }

  private Map<String, String> environment() {
    Map<String, String> environment = LiveConductor.environment(conductor, home);
    environment.put("CONDUCTOR_TOKEN", conductor.adminToken());
    return environment;
  }
}
