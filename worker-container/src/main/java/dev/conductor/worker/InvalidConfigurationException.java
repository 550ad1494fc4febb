package dev.conductor.worker;

/** The worker cannot start as configured; the message is one line naming what to fix. */
public class InvalidConfigurationException extends RuntimeException {
  public InvalidConfigurationException(String message) {
    super(message);
  }

  public InvalidConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
