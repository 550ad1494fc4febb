package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void padsColumnsToTheWidestCellAndLeavesNoTrailingSpaces() {
    String table = new Table("A", "LONG HEADER", "C").row("wide cell", "x", null).render();

    assertThat(table).isEqualTo("A          LONG HEADER  C\n" + "wide cell  x            -\n");
  }
}
