package dev.conductor.bench;

import jakarta.annotation.Nullable;

/**
 * One line of the results table. {@code met} is null for numbers without a target (context and
 * breakdowns).
 */
record Row(String scenario, String metric, String value, String target, @Nullable Boolean met) {

  static Row info(String scenario, String metric, String value) {
    return new Row(scenario, metric, value, "", null);
  }

  /** A latency measured against an upper bound. */
  static Row atMost(String scenario, String metric, double millis, double targetMillis) {
    return new Row(
        scenario,
        metric,
        Samples.ms(millis) + " ms",
        "≤ " + Samples.ms(targetMillis) + " ms",
        !Double.isNaN(millis) && millis <= targetMillis);
  }

  String verdict() {
    return met == null ? "" : met ? "met" : "**missed**";
  }
}
