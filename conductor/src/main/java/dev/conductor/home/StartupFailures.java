package dev.conductor.home;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Micronaut's start-up failures that come from one bad setting (a value of the wrong type, an
 * adapter kind that does not exist) into one line naming the setting, instead of a bean path.
 */
public final class StartupFailures {
  private static final Pattern UNCONVERTIBLE =
      Pattern.compile(
          "Error resolving property value \\[([^\\]]+)\\]\\. Unable to convert value \\[.*?\\]"
              + " to target type \\[([^\\]]+)\\]");
  private static final Pattern UNKNOWN_KIND =
      Pattern.compile("Property \\[([^\\]]+)\\] with value \\[[^\\]]*\\] does not equal required");

  private StartupFailures() {}

  /** The failure as an {@link InvalidSettingException} when one setting caused it, else itself. */
  public static RuntimeException explain(RuntimeException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidSettingException invalid) {
        return invalid; // Said in one line already, by the bean that read the setting.
      }
      String message = String.valueOf(cause.getMessage());
      Matcher unconvertible = UNCONVERTIBLE.matcher(message);
      if (unconvertible.find()) {
        // The value itself is left out: a mistyped setting may be a secret.
        return new InvalidSettingException(
            named(unconvertible.group(1))
                + " is not a valid "
                + unconvertible.group(2)
                + (unconvertible.group(2).equals("Duration") ? " (e.g. 500ms, 15s, 2m)" : "")
                + ": change it");
      }
      Matcher unknownKind = UNKNOWN_KIND.matcher(message);
      if (unknownKind.find()) {
        return new InvalidSettingException(
            named(unknownKind.group(1))
                + " names no adapter this conductor has: set one of the values in the README's"
                + " configuration table");
      }
    }
    return failure;
  }

  /** {@code conductor.operations.lease (CONDUCTOR_OPERATIONS_LEASE)}. */
  private static String named(String property) {
    return property
        + " ("
        + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
        + ")";
  }
}
