package dev.conductor.cli.operations;

/** How an operation ended: SUCCEEDED or FAILED, with the error if it failed. */
public record Outcome(String status, String error) {

  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  public static boolean isTerminal(String status) {
    return SUCCEEDED.equals(status) || FAILED.equals(status);
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }
}
