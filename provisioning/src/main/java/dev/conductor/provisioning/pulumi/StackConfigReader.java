package dev.conductor.provisioning.pulumi;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the {@code conductor} configuration namespace and fails with the full key of a missing or
 * malformed entry. Messages carry a value only for keys that are never secret.
 */
final class StackConfigReader {
  private final Function<String, Optional<String>> lookup;

  /**
   * @param lookup finds a value by its key without namespace, as {@link com.pulumi.Config#get} of
   *     the {@code conductor} namespace does
   */
  StackConfigReader(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  Optional<String> optional(String key) {
    return lookup.apply(key).filter(value -> !value.isBlank());
  }

  String require(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "missing stack configuration "
                        + TenantStackConfig.NAMESPACE
                        + ":"
                        + key
                        + " (the conductor sets it from TenantStackConfig.toConfig())"));
  }

  int requireInt(String key) {
    String value = require(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw malformed(key, value, "an integer");
    }
  }

  double requireDouble(String key) {
    String value = require(key);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw malformed(key, value, "a number");
    }
  }

  boolean requireBoolean(String key) {
    String value = require(key);
    if (!value.equals("true") && !value.equals("false")) {
      throw malformed(key, value, "true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static IllegalArgumentException malformed(String key, String value, String expected) {
    return new IllegalArgumentException(
        "stack configuration "
            + TenantStackConfig.NAMESPACE
            + ":"
            + key
            + " must be "
            + expected
            + ", got '"
            + value
            + "'");
  }
}
