package dev.conductor.home;

/**
 * The conductor cannot start as configured; the message is one line naming the setting to change (a
 * port in use, a home held by another conductor, a value that is not valid).
 */
public final class InvalidSettingException extends RuntimeException {
  public InvalidSettingException(String message) {
    super(message);
  }
}
