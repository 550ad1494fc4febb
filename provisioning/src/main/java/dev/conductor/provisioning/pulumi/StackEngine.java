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

  /** What a refresh does with what it reads. */
  enum Refresh {
    /** Report the differences between the real resources and the state; write nothing. */
    REPORT_ONLY,
    /** Read the real resources into the state, so that the next preview or up starts from them. */
    UPDATE_STATE,
    /**
     * As {@link #UPDATE_STATE}, and drop the pending operations an interrupted update left behind
     * (their resources are read back or forgotten, not guessed).
     */
    CLEAR_PENDING
  }

  /** Reads the real resources and reports, through events, each one that differs from the state. */
  void refresh(StackRequest stack, Refresh mode, Consumer<EngineEvent> events);

  /** True if an interrupted update left pending operations in the stack's state. */
  boolean hasPendingOperations(StackRequest stack);

  /** Deletes every resource of the stack, then the stack itself and its workspace. */
  void destroy(StackRequest stack, Consumer<EngineEvent> events);

  /** Stops the update running on this stack in this process, if any; returns at once. */
  void cancel(StackRequest stack);
}
