package dev.conductor.cli.operations;

import jakarta.annotation.Nullable;

/** How an operation ended: SUCCEEDED, FAILED or CANCELLED, with the error unless it succeeded. */
public record Outcome(String status, @Nullable String error) {

  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String CANCELLED = "CANCELLED";

  public static boolean isTerminal(String status) {
    return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  public boolean cancelled() {
    return CANCELLED.equals(status);
  }
}
