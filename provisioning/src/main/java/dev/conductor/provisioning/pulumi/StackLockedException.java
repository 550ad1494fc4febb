package dev.conductor.provisioning.pulumi;

import dev.conductor.provisioning.ProvisioningException;

/** Another update holds the stack's lock; the driver waits and tries again. */
public class StackLockedException extends ProvisioningException {
  public StackLockedException(String stack, Throwable cause) {
    super("stack " + stack + " is locked by another update", true, cause);
  }
}
