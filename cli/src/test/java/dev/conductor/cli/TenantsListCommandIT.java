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

/**
 * `tenants list` against a real conductor: every tenant without flags (the array, as before), a
 * page by --limit and its hint, filters, JSON, a bad status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantsListCommandIT {
  private static final Pattern MORE = Pattern.compile("More: conductor (tenants list .*)\n");

  @TempDir Path home;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
    conductor.onboard("list-one", "dev");
    conductor.onboard("list-two", "dev");
    conductor.onboard("other", "dev");
    conductor.postJson("/v1/tenants/other/suspend", "");
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @Test
  void withoutFlagsEveryTenantIsListedAsBefore() {
    Map<String, String> env = environment();
    CliRun all = CliRun.execute(env, "tenants", "list");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.out()).startsWith("NAME ").contains("list-one", "list-two", "other");
    assertThat(all.out()).doesNotContain("More:");

    CliRun json = CliRun.execute(env, "tenants", "list", "--output", "json");
    assertThat(dev.conductor.testing.Json.parse(json.out()).isArray()).isTrue();
  }

  @Test
  void pagesByTheHintKeepingTheFilters() {
    Map<String, String> env = environment();
    CliRun first = CliRun.execute(env, "tenants", "list", "--name-prefix", "list-", "--limit", "1");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("list-one").doesNotContain("list-two", "other");
    Matcher hint = MORE.matcher(first.out());
    assertThat(hint.find()).as(first.out()).isTrue();
    assertThat(hint.group(1)).contains("--name-prefix list-", "--limit 1");

    CliRun second = CliRun.execute(env, hint.group(1).split(" "));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains("list-two").doesNotContain("list-one", "other", "More:");
  }

  @Test
  void jsonCarriesThePageAndStatusNarrowsIt() {
    Map<String, String> env = environment();
    CliRun json =
        CliRun.execute(env, "tenants", "list", "--status", "suspended", "--output", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode page = dev.conductor.testing.Json.parse(json.out());
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("other");
    assertThat(page.get("nextCursor").isNull()).isTrue();

    CliRun none = CliRun.execute(env, "tenants", "list", "--status", "FAILED");
    assertThat(none.out()).isEqualTo("No tenants found.\n");
  }

  @Test
  void aBadStatusIsOneLineAndNonZero() {
    CliRun bad = CliRun.execute(environment(), "tenants", "list", "--status", "bogus");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).startsWith("error: unknown status 'bogus'").hasLineCount(1);
    assertThat(bad.out()).isEmpty();
  }

  private Map<String, String> environment() {
    Map<String, String> environment = LiveConductor.environment(conductor, home);
    environment.put("CONDUCTOR_TOKEN", conductor.adminToken());
    return environment;
  }
}
