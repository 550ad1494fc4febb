package dev.conductor.provisioning.pulumi;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.ConcurrentUpdateException;
import dev.conductor.provisioning.ProvisioningException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns Automation API failures into operator-readable provisioning errors: the CLI's first {@code
 * error:} line rather than its whole output, with anything that looks like a credential masked,
 * retryable only when the cause is known to pass (throttling, timeouts, a lost connection).
 */
final class StackErrors {
  private static final int MAX_MESSAGE = 300;

  /** Causes that pass by themselves; matched in the error line only, as words. */
  private static final Pattern TRANSIENT =
      Pattern.compile(
          "(?i)\\b(toomanyrequests|429|503|serviceunavailable|server busy|timeout|timed out"
              + "|deadline exceeded|connection reset|connection refused|unexpected eof"
              + "|temporarily unavailable)\\b");

  private static final Pattern LOCKED =
      Pattern.compile("currently locked by|\\[409\\] Conflict: Another update", Pattern.DOTALL);
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "(?i)(password|passphrase|secret|sharedaccesskey|accountkey|token|key)(\\s*[=:]\\s*)"
              + "(\"[^\"]*\"|'[^']*'|[^\\s;,\"']+)");

  private StackErrors() {}

  static ProvisioningException map(String stack, String operation, AutomationException e) {
    if (e instanceof ConcurrentUpdateException) {
      return new StackLockedException(stack, e);
    }
    if (e instanceof CommandException command) {
      String output = command.getMessage() == null ? "" : command.getMessage();
      if (LOCKED.matcher(output).find()) {
        return new StackLockedException(stack, e);
      }
      String error = firstError(output);
      return new ProvisioningException(
          "pulumi " + operation + " of stack " + stack + " failed: " + error,
          isTransient(error),
          null);
    }
    return new ProvisioningException(
        "could not run pulumi " + operation + " of stack " + stack + ": " + scrub(messageOf(e)),
        false,
        null);
  }

  /** The first line that says {@code error:}, else the last non-blank line, masked and bounded. */
  static String firstError(String output) {
    String chosen = null;
    String last = "";
    for (String line : output.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      last = trimmed;
      if (chosen == null && trimmed.toLowerCase(Locale.ROOT).contains("error:")) {
        chosen = trimmed;
      }
    }
    String line = scrub(chosen != null ? chosen : last);
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "…";
  }

  /**
   * Judged on the error line alone: resource ids and property names elsewhere in the output ({@code
   * replicaTimeout}, a subscription id with 429 in it) must not make a lasting error look passing.
   */
  static boolean isTransient(String errorLine) {
    return TRANSIENT.matcher(errorLine).find();
  }

  static String scrub(String text) {
    return CREDENTIAL.matcher(text).replaceAll("$1$2****");
  }

  private static String messageOf(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
