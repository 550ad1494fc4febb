package dev.conductor.messaging;

import jakarta.annotation.Nullable;

/** A bus operation failed; {@code transientFault} says whether retrying later may succeed. */
public class BusException extends RuntimeException {
  private final boolean transientFault;

  public BusException(String message, boolean transientFault, @Nullable Throwable cause) {
    super(message, cause);
    this.transientFault = transientFault;
  }

  public boolean isTransient() {
    return transientFault;
  }
}
