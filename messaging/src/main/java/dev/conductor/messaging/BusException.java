package dev.conductor.messaging;

/** A bus operation failed; {@code transientFault} says whether retrying later may succeed. */
public class BusException extends RuntimeException {
  private final boolean transientFault;

  public BusException(String message, boolean transientFault, Throwable cause) {
    super(message, cause);
    this.transientFault = transientFault;
  }

  public boolean isTransient() {
    return transientFault;
  }
}
