package dev.conductor.messaging;

import java.util.Map;

/** Matches messages whose application properties equal every entry (Service Bus correlation). */
public record CorrelationFilter(Map<String, String> properties) {
  public static final CorrelationFilter ALL = new CorrelationFilter(Map.of());

  public CorrelationFilter {
    properties = Map.copyOf(properties);
  }

  public static CorrelationFilter of(String property, String value) {
    return new CorrelationFilter(Map.of(property, value));
  }
}
