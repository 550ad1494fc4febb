package dev.conductor.provisioning;

import jakarta.annotation.Nullable;

/**
 * A provisioning step failed. The message is shown to operators: it must name what failed and never
 * carry a secret. {@code retryable}: a later attempt may succeed without operator action.
 */
public class ProvisioningException extends RuntimeException {
  private final boolean retryable;

  public ProvisioningException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean isRetryable() {
    return retryable;
  }
}
