package dev.conductor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
