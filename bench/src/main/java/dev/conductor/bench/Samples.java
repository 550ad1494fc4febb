package dev.conductor.bench;

import java.util.Arrays;

/**
 * Latency samples in milliseconds; percentiles by nearest rank. NaN (a timestamp that is missing)
 * is not a sample and is left out.
 */
final class Samples {
  private double[] values = new double[64];
  private int size;

  void add(double millis) {
    if (Double.isNaN(millis)) {
      return;
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = millis;
  }

  void addNanos(long nanos) {
    add(nanos / 1_000_000.0);
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  /** {@code p} in 0..100; NaN when empty. */
  double percentile(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  double p50() {
    return percentile(50);
  }

  double p99() {
    return percentile(99);
  }

  double max() {
    return percentile(100);
  }

  /** "p50 1.23 / p99 4.56 / max 7.89 ms (n=2000)". */
  String summary() {
    return String.format(
        "p50 %s / p99 %s / max %s ms (n=%d)", ms(p50()), ms(p99()), ms(max()), size);
  }

  static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "n/a";
    }
    return millis >= 100 ? String.format("%.0f", millis) : String.format("%.2f", millis);
  }
}
