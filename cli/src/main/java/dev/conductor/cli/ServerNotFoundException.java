package dev.conductor.cli;

/** {@code conductor server} cannot find the server's jar: a setup to fix, exit 2. */
public final class ServerNotFoundException extends RuntimeException {
  public ServerNotFoundException(String message) {
    super(message);
  }
}
