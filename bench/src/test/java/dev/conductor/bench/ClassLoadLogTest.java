package dev.conductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassLoadLogTest {

  private static final List<String> LOG =
      List.of(
          "[0.060s] java.lang.Object source: shared objects file",
          "[0.071s] java.net.http.HttpClient source: jrt:/java.net.http",
          "[0.087s] dev.conductor.cli.ConductorCli source: file:/x/cli/target/conductor.jar",
          "[0.205s] java.lang.invoke.LambdaForm$MH/0x00007f64a4012000 source: __JVM_LookupDefineClass__",
          "[0.346s] com.fasterxml.jackson.core.TreeNode$Inner source: file:/x/cli/target/conductor.jar",
          "not a class line",
          "[1.208s] java.lang.Shutdown$Lock source: shared objects file (top)");

  @Test
  void countsClassesBySource() {
    ClassLoadLog log = ClassLoadLog.parse(LOG, List.of());

    assertThat(log.shared()).isEqualTo(2);
    assertThat(log.jdk()).isEqualTo(1);
    assertThat(log.jar()).isEqualTo(2);
    assertThat(log.other()).isEqualTo(1);
    assertThat(log.total()).isEqualTo(6);
    assertThat(log.jarClasses())
        .containsExactly(
            "dev.conductor.cli.ConductorCli", "com.fasterxml.jackson.core.TreeNode$Inner");
  }

  @Test
  void marksTheFirstLoadOfEachPrefixAndTheLastLoad() {
    ClassLoadLog log =
        ClassLoadLog.parse(
            LOG,
            List.of("dev.conductor.cli.ConductorCli", "com.fasterxml.", "java.net.http.", "nope."));

    assertThat(log.marks().subList(0, 3)).containsExactly(87.0, 346.0, 71.0);
    assertThat(log.marks().get(3)).isNaN();
    assertThat(log.lastMillis()).isEqualTo(1208.0);
  }

  @Test
  void namesTheJarEntryOfAClass() {
    assertThat(ClassLoadLog.entry("com.fasterxml.jackson.core.TreeNode$Inner"))
        .isEqualTo("com/fasterxml/jackson/core/TreeNode$Inner.class");
  }
}
