package dev.conductor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void theCliScenarioRunsOnlyWhenAskedFor() {
    assertThat(Options.parse(new String[0]).only()).containsExactly("a", "b", "c", "d");
    assertThat(Options.parse(new String[] {"--only", "e"}).runs("e")).isTrue();
    Options batch = Options.parse(new String[] {"--only", "batch", "--batch-runs", "5"});
    assertThat(batch.runs("batch")).isTrue();
    assertThat(batch.batchRuns()).isEqualTo(5);
    assertThat(Options.parse(new String[0]).batchRuns()).isEqualTo(10);
  }

  @Test
  void scaleScenariosRunOnlyWhenAskedForWithTheIssuesSizesByDefault() {
    assertThat(Options.parse(new String[0]).only())
        .doesNotContain("fair", "spread", "backlog", "onboard");
    Options.Scale scale =
        Options.parse(new String[] {"--only", "fair,spread,backlog,onboard"}).scale();

    assertThat(scale.fairBacklog()).isEqualTo(20_000);
    assertThat(scale.fairWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(scale.spreadTenants()).isEqualTo(100);
    assertThat(scale.backlogSmall()).isEqualTo(1_000);
    assertThat(scale.backlogLarge()).isEqualTo(100_000);
    assertThat(scale.onboardTenants()).isEqualTo(1_000);
    assertThat(scale.onboardConcurrency()).isEqualTo(1);
  }

  @Test
  void scaleOptionsAreRead() {
    Options options =
        Options.parse(
            new String[] {
              "--only", "onboard,backlog",
              "--tenants", "200",
              "--onboard-concurrency", "4",
              "--onboard-limit", "5m",
              "--backlog-large", "50000",
              "--backlog-window", "15s",
              "--spread-tenants", "20",
              "--spread-window", "30s",
              "--fair-backlog", "5000"
            });
    Options.Scale scale = options.scale();

    assertThat(options.runs("onboard")).isTrue();
    assertThat(options.runs("fair")).isFalse();
    assertThat(scale.onboardTenants()).isEqualTo(200);
    assertThat(scale.onboardConcurrency()).isEqualTo(4);
    assertThat(scale.onboardLimit()).isEqualTo(Duration.ofMinutes(5));
    assertThat(scale.backlogLarge()).isEqualTo(50_000);
    assertThat(scale.backlogWindow()).isEqualTo(Duration.ofSeconds(15));
    assertThat(scale.spreadTenants()).isEqualTo(20);
    assertThat(scale.spreadWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(scale.fairBacklog()).isEqualTo(5_000);
  }

  @Test
  void theConsoleScaleScenarioRunsOnlyWhenAskedForWithTheIssuesSizesByDefault() {
    assertThat(Options.parse(new String[0]).runs("scale")).isFalse();
    Options.Scale defaults = Options.parse(new String[] {"--only", "scale"}).scale();
    assertThat(defaults.scaleTenants()).isEqualTo(10_000);
    assertThat(defaults.scaleJobs()).isEqualTo(1_000_000);
    assertThat(defaults.scaleRuns()).isEqualTo(20);

    Options options =
        Options.parse(
            new String[] {
              "--only",
              "scale",
              "--scale-tenants",
              "500",
              "--scale-jobs",
              "20000",
              "--scale-runs",
              "5"
            });
    assertThat(options.runs("scale")).isTrue();
    assertThat(options.scale().scaleTenants()).isEqualTo(500);
    assertThat(options.scale().scaleJobs()).isEqualTo(20_000);
    assertThat(options.scale().scaleRuns()).isEqualTo(5);
  }

  @Test
  void moreSeededTenantsThanFiveDigitNamesAreRefused() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--scale-tenants", "100000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--scale-tenants must be at most 99999");
  }

  @Test
  void aScaleCountBelowOneIsRefused() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--tenants", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tenants must be at least 1");
  }

  @Test
  void cliDefaultsAreTheBaselineBesideCurl() {
    Options.Cli cli = Options.parse(new String[0]).cli();

    assertThat(cli.variants()).containsExactly("floor", "curl", "cli", "launcher");
    assertThat(cli.runs()).isEqualTo(30);
    assertThat(cli.warmup()).isEqualTo(3);
    assertThat(cli.jar()).isEqualTo(Path.of("cli/target/conductor.jar"));
  }

  @Test
  void cliVariantsAreAddedToTheBaselineInTableOrder() {
    Options.Cli cli =
        Options.parse(new String[] {"--cli-variants", "jdk25-aot,cds", "--cli-runs", "5"}).cli();

    assertThat(cli.variants())
        .containsExactly("floor", "curl", "cli", "launcher", "cds", "jdk25-aot");
    assertThat(cli.runs()).isEqualTo(5);
    assertThat(Options.parse(new String[] {"--cli-variants", "all"}).cli().variants())
        .containsExactlyElementsOf(CliLatency.VARIANTS);
  }

  @Test
  void anUnknownCliVariantIsRefused() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--cli-variants", "native"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown CLI variant 'native'");
  }
}
