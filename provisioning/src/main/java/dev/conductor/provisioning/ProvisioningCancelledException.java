package dev.conductor.provisioning;

/**
 * The operation was cancelled on request. Adapters are cancelled by interrupting the thread that
 * called them; they stop at the next safe point (between steps, or by cancelling the running Pulumi
 * update) and throw this. Never retryable: a cancelled operation stays cancelled.
 */
public class ProvisioningCancelledException extends ProvisioningException {
  public ProvisioningCancelledException(String message) {
    super(message, false, null);
  }
}
