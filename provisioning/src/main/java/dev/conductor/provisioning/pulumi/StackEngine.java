package dev.conductor.provisioning.pulumi;

import com.pulumi.automation.events.EngineEvent;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Pulumi engine as the driver needs it: operations on one stack, reporting engine events as
 * they happen. The real engine runs the Pulumi CLI through the Automation API; tests of the driver
 * on machines without the CLI script this boundary. Failures are {@link
 * dev.conductor.provisioning.ProvisioningException}s, a locked stack a {@link
 * StackLockedException}.
 */
public interface StackEngine {

  /** Creates or updates the stack's resources; returns its outputs as plain values. */
  Map<String, Object> up(StackRequest stack, Consumer<EngineEvent> events);

  /** Reports, through events, what {@link #up} would change; changes nothing. */
  void preview(StackRequest stack, Consumer<EngineEvent> events);

  /**
   * Reads the real resources into the stack's state and reports, through events, each one that
   * differed. With {@code clearPendingCreates}, also drops the pending operations an interrupted
   * update left behind (those resources are read back or forgotten, not guessed).
   */
  void refresh(StackRequest stack, boolean clearPendingCreates, Consumer<EngineEvent> events);

  /** True if an interrupted update left pending operations in the stack's state. */
  boolean hasPendingOperations(StackRequest stack);

  /** Deletes every resource of the stack, then the stack itself and its workspace. */
  void destroy(StackRequest stack, Consumer<EngineEvent> events);

  /** Stops the update running on this stack in this process, if any; returns at once. */
  void cancel(StackRequest stack);
}
