package dev.conductor.cli;

/** The conductor answered with an error status; carries its problem+json {@code detail}. */
public final class ApiException extends RuntimeException {

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
