package dev.conductor.backup;

/** A backup that cannot be restored here, with the reason in one line; nothing was changed. */
public final class RestoreRefusedException extends RuntimeException {
  public RestoreRefusedException(String message) {
    super(message);
  }
}
