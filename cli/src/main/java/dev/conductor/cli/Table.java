package dev.conductor.cli;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned text columns, padded to the widest cell; the last column is never padded. */
public final class Table {

  private static final String GAP = "  ";

  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    if (header.length > 0) {
      rows.add(header);
    }
  }

  public Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  public String render() {
    int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], cell(row, i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? cell(row, i) : pad(cell(row, i), widths[i]) + GAP);
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String cell(String[] row, int i) {
    return row[i] == null ? "-" : row[i];
  }

  private static String pad(String value, int width) {
    return value + " ".repeat(width - value.length());
  }
}
